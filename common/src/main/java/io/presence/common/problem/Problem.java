package io.presence.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every REST error ({@code application/problem+json}).
 *
 * @param type     stable URI naming the kind of problem, see {@link ProblemType}
 * @param title    short human summary of the type
 * @param status   the HTTP status code
 * @param detail   what went wrong this time, for humans
 * @param instance the request path
 * @param errors   the invalid fields, for validation problems
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    /** Media type of a problem body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input field. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(ProblemType type, String detail, String instance) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, null);
    }
}
