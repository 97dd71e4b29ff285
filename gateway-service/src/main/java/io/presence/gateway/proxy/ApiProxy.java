package io.presence.gateway.proxy;

import io.presence.common.http.RequestLimits;
import io.presence.common.problem.ProblemResponses;
import io.presence.common.problem.ProblemType;
import io.presence.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.MultiMap;
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
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Forwards {@code /api/...} and the channel authorization endpoints to the owning backend, streaming both bodies
 * and keeping status and headers. A backend that is down or silent becomes a problem+json 503/504, never a hang.
 * <p>
 * Bodies are held to {@code quarkus.http.limits.max-body-size} here too: a declared length over it is refused by
 * {@link RequestLimits} before any backend is asked, a streamed body that grows over it is cut off at the backend
 * and answered 413. A backend's answer is relayed as soon as it comes, even while the client is still sending.
 * The backend learns the client's address, scheme, host and port from X-Forwarded-* headers that the gateway
 * sets itself; whatever forwarding headers the client sent are dropped.
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);

    /** Headers that describe one hop, not the message (RFC 9110 section 7.6.1), never forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host");

    /** Forwarding headers a client may not set: the gateway states these facts itself. */
    private static final Set<String> FORWARDING = Set.of("forwarded", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host", "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-ssl", "x-real-ip");

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
        router.route("/api/*").order(-9).handler(rc -> problem(rc, ProblemType.NOT_FOUND,
                "no service serves " + rc.request().path(), null));
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }

    private void forward(RoutingContext rc) {
        HttpServerRequest in = rc.request();
        Backend backend = routes.resolve(in.path()).orElseThrow();
        in.pause();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setAbsoluteURI(backend.target(in.uri()))
                .setIdleTimeout(config.proxy().responseTimeout().toMillis());
        MultiMap outHeaders = MultiMap.caseInsensitiveMultiMap();
        copyHeaders(in.headers(), outHeaders);
        FORWARDING.forEach(outHeaders::remove);
        forwardedHeaders(in).forEach(outHeaders::set);
        options.setHeaders(outHeaders);

        client.request(options)
                .onFailure(err -> {
                    fail(rc, backend, err);
                    limits.discardBody(in);
                })
                .onSuccess(out -> {
                    out.response()
                            .onSuccess(response -> relay(rc, backend, response))
                            .onFailure(err -> fail(rc, backend, err));
                    upload(rc, in, out);
                });
    }

    /**
     * What the backend is told about the request as the gateway received it: the client's address (replacing any
     * X-Forwarded-For the client sent, so it cannot choose the address it is throttled by), scheme, host and port.
     * With quarkus.http.proxy.* configured for a trusted Ingress, these are what that Ingress forwarded.
     */
    static Map<String, String> forwardedHeaders(HttpServerRequest in) {
        String scheme = in.scheme() == null ? "http" : in.scheme();
        String host = in.host() != null ? in.host()
                : in.localAddress() == null ? "localhost" : in.localAddress().hostAddress() + ":" + in.localAddress().port();
        int colon = host.lastIndexOf(':');
        String port = colon > host.lastIndexOf(']') ? host.substring(colon + 1) : "https".equals(scheme) ? "443" : "80";
        return Map.of(
                "X-Forwarded-For", in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress(),
                "X-Forwarded-Proto", scheme,
                "X-Forwarded-Host", host,
                "X-Forwarded-Port", port);
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
        copyHeaders(response.headers(), out.headers());
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

    private void problem(RoutingContext rc, ProblemType type, String detail, String retryAfter) {
        problems.send(rc.response(), rc.request().path(), type, detail,
                retryAfter == null ? Map.of() : Map.of(HttpHeaders.RETRY_AFTER.toString(), retryAfter));
    }

    /** Copies end-to-end headers: drops hop-by-hop ones and any the sender named in its Connection header. */
    private static void copyHeaders(MultiMap from, MultiMap to) {
        Set<String> named = connectionTokens(from.get(HttpHeaders.CONNECTION));
        for (var header : from) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    private static Set<String> connectionTokens(String connection) {
        if (connection == null) {
            return Set.of();
        }
        return Arrays.stream(connection.toLowerCase(Locale.ROOT).split(","))
                .map(String::trim).collect(Collectors.toSet());
    }
}
