package io.presence.common.text;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/** Checks {@link Text} with {@link TextRule}, reporting what exactly is wrong. */
public class TextValidator implements ConstraintValidator<Text, CharSequence> {

    private boolean multiline;
    private boolean label;

    @Override
    public void initialize(Text annotation) {
        this.multiline = annotation.multiline();
        this.label = annotation.label();
    }

    @Override
    public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
        String violation = label ? TextRule.labelViolation(value) : TextRule.violation(value, multiline);
        if (violation == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        // the reason goes in as an expression variable, never as a template, so nothing in it is interpolated
        context.unwrap(HibernateConstraintValidatorContext.class)
                .addMessageParameter("reason", violation)
                .buildConstraintViolationWithTemplate("{reason}")
                .addConstraintViolation();
        return false;
    }
}
