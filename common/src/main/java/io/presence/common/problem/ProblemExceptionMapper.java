package io.presence.common.problem;

import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place each service turns exceptions into {@code application/problem+json}; no stack trace ever leaves. */
public class ProblemExceptionMapper {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Problem problem = Problem.of(e.type(), e.getMessage(), path(uri));
        Response.ResponseBuilder response = build(new Problem(problem.type(), problem.title(), problem.status(),
                problem.detail(), problem.instance(), e.errors()));
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        ProblemType type = ProblemType.forStatus(status);
        Response.ResponseBuilder response = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type.uri(), type.title(), status, describe(status), path(uri), null));
        // keep protocol headers such as Allow (405) and WWW-Authenticate (401)
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> response.header(name, v));
            }
        });
        return response.build();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String fields = String.join(", ", errors.stream().map(Problem.FieldError::field).distinct().toList());
        return build(new Problem(ProblemType.VALIDATION.uri(), ProblemType.VALIDATION.title(), 400,
                "invalid: " + fields, path(uri), errors)).build();
    }

    /**
     * Valid JSON of the wrong shape ({@code {"text": []}}): a validation problem naming the field. Declared for
     * this exact type so that it, not Quarkus's built-in mapper (an empty 400), answers.
     */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        String field = jsonPath(e.getPath());
        String expected = e.getTargetType() == null ? "another JSON type" : jsonType(e.getTargetType());
        return build(new Problem(ProblemType.VALIDATION.uri(), ProblemType.VALIDATION.title(), 400,
                "invalid: " + field, path(uri), List.of(new Problem.FieldError(field, "must be " + expected)))).build();
    }

    /**
     * Percent-encoding that does not decode ({@code %%%} as a form body, query or path): the framework's decoder
     * throws a bare IllegalArgumentException, told apart by where it was thrown. Anything else stays a 500.
     */
    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e, UriInfo uri) {
        StackTraceElement[] trace = e.getStackTrace();
        if (trace.length > 0 && trace[0].getClassName().endsWith(".URLUtils")) {
            return build(Problem.of(ProblemType.BAD_REQUEST,
                    "the request is not validly percent-encoded (form body, query or path)", path(uri))).build();
        }
        return unexpected(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        if (isResponseWriting(e)) {
            return unexpected(e, uri); // our answer could not be written: the server's fault, not the request's
        }
        String message = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
        return build(Problem.of(ProblemType.BAD_REQUEST, "request body is not valid JSON for this call: "
                + message.lines().findFirst().orElse(""), path(uri))).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (isStoreUnavailable(e)) {
            LOG.warnf("store unavailable on %s: %s", path(uri), e.toString());
            return build(Problem.of(ProblemType.STORE_UNAVAILABLE,
                    "a data store is unreachable; nothing was changed, retry later", path(uri)))
                    .header("Retry-After", "2").build();
        }
        if (isUnstorableText(e)) {
            // a safety net: TextRule refuses such text at the boundary, so reaching this is a missing @Text
            LOG.warnf("text the database cannot store reached it on %s: %s", path(uri), e.toString());
            return build(Problem.of(ProblemType.BAD_REQUEST, "the request holds text that cannot be stored", path(uri))).build();
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", incident, path(uri));
        return build(Problem.of(ProblemType.INTERNAL, "unexpected error, incident " + incident, path(uri))).build();
    }

    /**
     * True when Jackson failed writing JSON (a response body) or on a type it cannot handle at all, rather than on
     * reading a request body: a JSON error raised by a generator, or a definition problem.
     */
    static boolean isResponseWriting(JsonProcessingException e) {
        return e instanceof JsonGenerationException || e instanceof InvalidDefinitionException
                || e.getProcessor() instanceof JsonGenerator;
    }

    /**
     * True when the failure is a PostgreSQL or Redis connection that could not be made or was lost. Causes and
     * suppressed exceptions both count: a transaction manager reports a commit that the database cut off as a
     * RollbackException whose SQL error is only suppressed, not its cause (the outcome is then unknown to the
     * client, which is what 503 and idempotent retries are for).
     */
    static boolean isStoreUnavailable(Throwable e) {
        return isStoreUnavailable(e, 0);
    }

    private static boolean isStoreUnavailable(Throwable e, int depth) {
        for (Throwable t = e; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof ConnectException || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && (isConnectionState(sql.getSQLState())
                    || String.valueOf(sql.getMessage()).startsWith("Acquisition timeout"))) {
                return true;
            }
            if (t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (isStoreUnavailable(suppressed, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** PostgreSQL's "character not in repertoire" (NUL) and "untranslatable character", anywhere in the causes. */
    static boolean isUnstorableText(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof SQLException sql && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionState(String sqlState) {
        // class 08: connection exception; 57P01-57P03: server shutting down or not yet accepting connections
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P0"));
    }

    private static Response.ResponseBuilder build(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    private static String field(ConstraintViolation<?> violation) {
        String leaf = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getName() != null) {
                leaf = node.getName();
            }
        }
        return leaf == null ? "body" : leaf;
    }

    /** {@code messages[2].text}-style path of a JSON location; "body" for the document itself. */
    private static String jsonPath(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "body" : path.toString();
    }

    private static String jsonType(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return type.isEnum() ? "one of " + List.of(type.getEnumConstants()) : "an object";
    }

    private static String describe(int status) {
        return switch (status) {
            case 401 -> "authentication is required";
            case 403 -> "this call is not allowed for you";
            case 404 -> "no such resource";
            case 405 -> "this method is not supported on this resource";
            case 406 -> "no acceptable representation";
            case 415 -> "unsupported content type";
            default -> Response.Status.fromStatusCode(status) == null ? "request refused"
                    : Response.Status.fromStatusCode(status).getReasonPhrase().toLowerCase();
        };
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
