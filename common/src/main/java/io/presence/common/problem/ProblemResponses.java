package io.presence.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Writes problems where no exception mapper reaches: Vert.x routes that answer before Quarkus REST (the gateway's
 * proxy, the request limits). Same body and media type as {@link ProblemExceptionMapper}.
 */
@ApplicationScoped
public class ProblemResponses {

    private final ObjectMapper json;

    public ProblemResponses(ObjectMapper json) {
        this.json = json;
    }

    /** Answers with the problem; false (and nothing written) when an answer has already begun. */
    public boolean send(HttpServerResponse response, String path, ProblemType type, String detail, Map<String, String> headers) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return false;
        }
        String body;
        try {
            body = json.writeValueAsString(Problem.of(type, detail, path));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.setStatusCode(type.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        headers.forEach(response::putHeader);
        response.end(body);
        return true;
    }
}
