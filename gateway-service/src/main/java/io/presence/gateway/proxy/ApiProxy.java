package io.presence.gateway.proxy;

import io.presence.common.http.RequestLimits;
import io.presence.common.problem.ProblemResponses;
import io.presence.common.problem.ProblemType;
import io.presence.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Forwards {@code /api/...} and the channel authorization endpoints to the owning backend, streaming both bodies
 * and keeping status and headers. A backend that is down or silent becomes a problem+json 503/504, never a hang.
 * <p>
 * Bodies are held to {@code quarkus.http.limits.max-body-size} here too: a declared length over it is refused by
 * {@link RequestLimits} before any backend is asked, a streamed body that grows over it is cut off at the backend
 * and answered 413. A backend's answer is relayed as soon as it comes, even while the client is still sending.
 * The backend learns the client's address, scheme, host and port from X-Forwarded-* headers that the gateway
 * sets itself; whatever forwarding headers the client sent are dropped, and so is an X-Internal-Token.
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);

    private final BackendRoutes routes;
    private final GatewayConfig config;
    private final ProblemResponses problems;
    private final RequestLimits limits;
    private final HttpClient client;

    public ApiProxy(BackendRoutes routes, GatewayConfig config, ProblemResponses problems, RequestLimits limits, Vertx vertx) {
        this.routes = routes;
        this.config = config;
        this.problems = problems;
        this.limits = limits;
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout((int) config.proxy().connectTimeout().toMillis())
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(config.proxy().maxConnectionsPerBackend()));
    }

    void registerRoutes(@Observes Router router) {
        for (String prefix : routes.prefixes()) {
            router.route(prefix).order(-10).handler(this::forward);
            router.route(prefix + "/*").order(-10).handler(this::forward);
        }
        // Anything else under /api has no owner: say so in the same format the backends use.
        router.route("/api/*").order(-9).handler(rc -> refuse(rc, ProblemType.NOT_FOUND, "no service serves " + rc.request().path()));
        // The backends' service-to-service endpoints are never served here (routes match the normalised path).
        router.route(BackendRoutes.INTERNAL).order(-10).handler(rc -> refuse(rc, ProblemType.NOT_FOUND, "no service serves " + rc.request().path()));
        router.route(BackendRoutes.INTERNAL + "/*").order(-10).handler(rc -> refuse(rc, ProblemType.NOT_FOUND, "no service serves " + rc.request().path()));
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }

    /**
     * Forwards exactly the path it routed: Vert.x's normalised path (percent-encoded unreserved characters decoded),
     * after refusing with 400 every path whose raw and normalised forms could lead to different resources (dot
     * segments, encoded slashes; {@link BackendRoutes#refusal}).
     */
    private void forward(RoutingContext rc) {
        HttpServerRequest in = rc.request();
        Optional<String> refusal = BackendRoutes.refusal(in.path());
        if (refusal.isPresent()) {
            refuse(rc, ProblemType.BAD_REQUEST, refusal.get());
            return;
        }
        String path = rc.normalizedPath();
        Optional<Backend> owner = routes.resolve(path);
        if (owner.isEmpty()) {
            refuse(rc, ProblemType.NOT_FOUND, "no service serves " + in.path());
            return;
        }
        Backend backend = owner.get();
        in.pause();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setAbsoluteURI(backend.target(in.query() == null ? path : path + "?" + in.query()))
                .setIdleTimeout(config.proxy().responseTimeout().toMillis());
        options.setHeaders(ProxyHeaders.toBackend(in));
        send(rc, backend, options, isRetriable(in));
    }

    /**
     * Sends one attempt. A request that may be repeated (see {@link #isRetriable}) whose pooled connection turns out
     * to have been closed by the backend before any answer came is sent once more on a fresh connection: a backend
     * that just went away then answers 503 (refused) rather than 502, and one that merely recycled an idle
     * connection answers normally.
     */
    private void send(RoutingContext rc, Backend backend, RequestOptions options, boolean mayRetry) {
        HttpServerRequest in = rc.request();
        client.request(options)
                .onFailure(err -> {
                    fail(rc, backend, err);
                    limits.discardBody(in);
                })
                .onSuccess(out -> {
                    out.response()
                            .onSuccess(response -> relay(rc, backend, response))
                            .onFailure(err -> {
                                if (mayRetry && isClosedConnection(err) && !rc.response().headWritten()) {
                                    LOG.debugf("%s closed a pooled connection for %s; sending again", backend.name(), in.path());
                                    send(rc, backend, options, false);
                                } else {
                                    fail(rc, backend, err);
                                }
                            });
                    if (isRetriable(in)) {
                        out.end(); // nothing to stream: the request may be sent again as it is
                        limits.discardBody(in);
                    } else {
                        upload(rc, in, out);
                    }
                });
    }

    /** Safe methods without a body: the gateway holds everything needed to send them again. */
    private static boolean isRetriable(HttpServerRequest in) {
        boolean safe = switch (in.method().name()) {
            case "GET", "HEAD", "OPTIONS" -> true;
            default -> false;
        };
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        return safe && (length == null || "0".equals(length)) && !in.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static boolean isClosedConnection(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.core.http.HttpClosedException
                    || (t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("reset"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Streams the client's body to the backend with back-pressure, counting it: past the body limit the backend
     * request is reset (it never sees more) and the client gets 413, its remaining bytes read and dropped. Once the
     * backend request fails (the backend answered early and closed, or went away) the rest is dropped the same way.
     */
    private void upload(RoutingContext rc, HttpServerRequest in, HttpClientRequest out) {
        if (!in.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            out.setChunked(true);
        }
        long max = limits.maxBodyBytes();
        long[] sent = {0};
        boolean[] dropping = {false};
        Runnable dropRest = () -> {
            if (!dropping[0]) {
                dropping[0] = true;
                limits.discardBody(in);
            }
        };
        out.exceptionHandler(err -> dropRest.run());
        // the client went away mid-request: the backend need not finish it (once answered, there is nothing to stop)
        in.exceptionHandler(err -> {
            if (!rc.response().ended()) {
                out.reset();
            }
        });
        in.handler(chunk -> {
            sent[0] += chunk.length();
            if (sent[0] > max) {
                problems.send(rc.response(), in.path(), ProblemType.PAYLOAD_TOO_LARGE,
                        "the request body is larger than " + max + " bytes", Map.of());
                dropRest.run();
                out.reset();
                return;
            }
            out.write(chunk);
            if (out.writeQueueFull()) {
                in.pause();
                out.drainHandler(v -> in.resume());
            }
        });
        in.endHandler(v -> out.end());
        in.resume();
    }

    private void relay(RoutingContext rc, Backend backend, HttpClientResponse response) {
        HttpServerResponse out = rc.response();
        if (out.closed() || out.ended()) {
            response.request().reset();
            return;
        }
        out.setStatusCode(response.statusCode());
        out.setStatusMessage(response.statusMessage());
        ProxyHeaders.copy(response.headers(), out.headers());
        if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            out.setChunked(true);
        }
        response.pipe().endOnFailure(false).to(out).onFailure(err -> {
            // headers are gone already; cut the connection so the client cannot take a truncated body for a whole one
            LOG.warnf("response from %s broke off: %s", backend.name(), err.toString());
            out.reset();
        });
    }

    private void fail(RoutingContext rc, Backend backend, Throwable err) {
        if (rc.response().ended()) {
            return; // answered already (413 for a body over the limit)
        }
        if (rc.response().headWritten()) {
            rc.response().reset();
            return;
        }
        if (isUnreachable(err)) {
            LOG.warnf("%s unreachable for %s: %s", backend.name(), rc.request().path(), err.toString());
            problem(rc, ProblemType.BACKEND_UNAVAILABLE, backend.name() + " is unavailable, retry later", "2");
        } else if (err instanceof TimeoutException || err.getClass().getSimpleName().contains("Timeout")) {
            LOG.warnf("%s timed out for %s", backend.name(), rc.request().path());
            problem(rc, ProblemType.GATEWAY_TIMEOUT, backend.name() + " did not answer in time", null);
        } else {
            LOG.warnf("%s failed for %s: %s", backend.name(), rc.request().path(), err.toString());
            problem(rc, ProblemType.BAD_GATEWAY, backend.name() + " closed the connection without a complete answer", null);
        }
    }

    private static boolean isUnreachable(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t.getClass().getName().equals("io.netty.channel.ConnectTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    /** Answers a request no backend will see, dropping whatever body it is still sending. */
    private void refuse(RoutingContext rc, ProblemType type, String detail) {
        problem(rc, type, detail, null);
        limits.discardBody(rc.request());
    }

    private void problem(RoutingContext rc, ProblemType type, String detail, String retryAfter) {
        problems.send(rc.response(), rc.request().path(), type, detail,
                retryAfter == null ? Map.of() : Map.of(HttpHeaders.RETRY_AFTER.toString(), retryAfter));
    }
}
