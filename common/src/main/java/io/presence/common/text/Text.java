package io.presence.common.text;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The field, parameter or list element is text that keeps {@link TextRule}: valid Unicode without control
 * characters (line breaks and tabs allowed with {@code multiline}; bidi controls and zero-width characters refused
 * with {@code label}). Null is valid; combine with {@code @NotNull}.
 */
@Documented
@Constraint(validatedBy = TextValidator.class)
@Target({FIELD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface Text {

    String message() default "must be valid text without control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Allow line feeds, carriage returns and tabs (message bodies). */
    boolean multiline() default false;

    /** A label shown beside others (display names, status texts, room names): no bidi controls, no zero-width characters. */
    boolean label() default false;
}
