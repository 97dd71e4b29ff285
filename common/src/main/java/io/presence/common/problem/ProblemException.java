package io.presence.common.problem;

import java.util.List;
import java.util.Map;

/** Thrown by service code to answer with a given problem; extra headers (e.g. Retry-After) ride along. */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final Map<String, String> headers;
    private final List<Problem.FieldError> errors;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    public ProblemException(ProblemType type, String detail, Map<String, String> headers) {
        this(type, detail, headers, null);
    }

    private ProblemException(ProblemType type, String detail, Map<String, String> headers, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.headers = Map.copyOf(headers);
        this.errors = errors == null ? null : List.copyOf(errors);
    }

    /** A 400 validation problem naming one invalid field, shaped like those Bean Validation produces. */
    public static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, "invalid: " + field, Map.of(),
                List.of(new Problem.FieldError(field, message)));
    }

    public ProblemType type() {
        return type;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The invalid fields, or null when the problem is not about fields. */
    public List<Problem.FieldError> errors() {
        return errors;
    }
}
