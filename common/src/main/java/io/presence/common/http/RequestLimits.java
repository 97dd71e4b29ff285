package io.presence.common.http;

import io.presence.common.problem.ProblemResponses;
import io.presence.common.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Quarkus's request limits ({@code quarkus.http.limits.max-initial-line-length}, {@code .max-header-size},
 * {@code .max-body-size}) answered in problem+json like every other error, instead of Vert.x's empty 414, 431 and
 * 413. Vert.x answers those from its HTTP decoder, where no route or mapper reaches, so the decoder is given
 * {@value #DECODER_HEADROOM} times the configured room and this filter, first on every route, enforces the
 * configured values; only requests beyond that headroom still get the decoder's bare status.
 * <p>
 * A refused body is not left unread: the client may still be sending it, and closing a socket with unread data
 * resets the connection, which can swallow the answer. The rest is read and dropped (up to
 * {@value #DRAIN_BYTES} bytes or {@value #DRAIN_MILLIS} ms, then the connection is closed).
 */
@ApplicationScoped
public class RequestLimits implements HttpServerOptionsCustomizer {

    /** How many times the configured limits the HTTP decoder accepts, so this filter can answer them. */
    static final int DECODER_HEADROOM = 16;
    /** Most bytes of a refused body read and dropped before the connection is closed. */
    static final long DRAIN_BYTES = 64L * 1024 * 1024;
    /** Longest wait for the rest of a refused body before the connection is closed. */
    static final long DRAIN_MILLIS = 30_000;

    private final int maxRequestLine;
    private final long maxHeaderBytes;
    private final long maxBodyBytes;
    private final ProblemResponses problems;
    private final Vertx vertx;

    public RequestLimits(@ConfigProperty(name = "quarkus.http.limits.max-initial-line-length", defaultValue = "4096") int maxRequestLine,
                         @ConfigProperty(name = "quarkus.http.limits.max-header-size", defaultValue = "20K") MemorySize maxHeaderSize,
                         @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize,
                         ProblemResponses problems, Vertx vertx) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeaderBytes = maxHeaderSize.asLongValue();
        this.maxBodyBytes = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        this.problems = problems;
        this.vertx = vertx;
    }

    /** The largest request body this service accepts (quarkus.http.limits.max-body-size). */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        widenDecoder(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        widenDecoder(options);
    }

    private void widenDecoder(HttpServerOptions options) {
        options.setMaxInitialLineLength((int) Math.min(Integer.MAX_VALUE, (long) maxRequestLine * DECODER_HEADROOM));
        options.setMaxHeaderSize((int) Math.min(Integer.MAX_VALUE, maxHeaderBytes * DECODER_HEADROOM));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1000).handler(this::check);
        // failures no route handled (e.g. a path whose percent-encoding does not decode): problem+json too
        for (ProblemType type : new ProblemType[] {ProblemType.BAD_REQUEST, ProblemType.PAYLOAD_TOO_LARGE}) {
            router.errorHandler(type.status(), rc -> problems.send(rc.response(), safePath(rc.request()), type,
                    type == ProblemType.BAD_REQUEST ? "malformed request" : "request body too large", Map.of()));
        }
    }

    private void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String path = safePath(request);
        int requestLine = request.method().name().length() + request.uri().length() + " HTTP/1.1".length() + 1;
        if (requestLine > maxRequestLine) {
            refuse(rc, path, ProblemType.URI_TOO_LONG, "the request line is longer than " + maxRequestLine + " bytes");
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + 2 + header.getValue().length();
        }
        if (headerBytes > maxHeaderBytes) {
            refuse(rc, path, ProblemType.HEADERS_TOO_LARGE, "the request headers are larger than " + maxHeaderBytes + " bytes");
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > maxBodyBytes) {
            refuse(rc, path, ProblemType.PAYLOAD_TOO_LARGE, "the request body is larger than " + maxBodyBytes + " bytes");
            return;
        }
        rc.next();
    }

    private void refuse(RoutingContext rc, String path, ProblemType type, String detail) {
        problems.send(rc.response(), path, type, detail, Map.of());
        discardBody(rc.request());
    }

    /**
     * After an answer given before the body was read: reads and drops the rest, so a client that is still sending
     * gets to read the answer; closes the connection when the rest is too long or too slow.
     */
    public void discardBody(HttpServerRequest request) {
        if (request.isEnded()) {
            return;
        }
        long timer = vertx.setTimer(DRAIN_MILLIS, id -> request.connection().close());
        long[] dropped = {0};
        request.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > DRAIN_BYTES) {
                vertx.cancelTimer(timer);
                request.connection().close();
            }
        });
        request.exceptionHandler(e -> vertx.cancelTimer(timer));
        request.endHandler(v -> vertx.cancelTimer(timer));
        request.resume();
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1; // the HTTP decoder refuses malformed lengths before any route sees them
        }
    }

    /** The path for the problem's {@code instance}, cut short: an over-long one is what is being refused. */
    static String safePath(HttpServerRequest request) {
        String path = String.valueOf(request.path());
        return path.length() <= 200 ? path : path.substring(0, 200) + "...";
    }
}
