package io.presence.gateway.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.problem.Problem;
import io.presence.common.problem.ProblemType;
import io.presence.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
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
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Forwards {@code /api/...} and the channel authorization endpoints to the owning backend, streaming both bodies
 * and keeping status and headers. A backend that is down or silent becomes a problem+json 503/504, never a hang.
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);

    /** Headers that describe one hop, not the message (RFC 9110 section 7.6.1), never forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host");

    private final BackendRoutes routes;
    private final GatewayConfig config;
    private final ObjectMapper json;
    private final HttpClient client;

    public ApiProxy(BackendRoutes routes, GatewayConfig config, ObjectMapper json, Vertx vertx) {
        this.routes = routes;
        this.config = config;
        this.json = json;
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
        options.setHeaders(outHeaders);
        String forwardedFor = in.getHeader("X-Forwarded-For");
        String peer = in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress();
        outHeaders.set("X-Forwarded-For", forwardedFor == null ? peer : forwardedFor + ", " + peer);
        outHeaders.set("X-Forwarded-Proto", in.scheme());
        if (in.authority() != null) {
            outHeaders.set("X-Forwarded-Host", in.authority().toString());
        }

        client.request(options)
                .onFailure(err -> {
                    in.resume();
                    fail(rc, backend, err);
                })
                .onSuccess(out -> out.send(in)
                        .onSuccess(response -> relay(rc, backend, response))
                        .onFailure(err -> fail(rc, backend, err)));
    }

    private void relay(RoutingContext rc, Backend backend, HttpClientResponse response) {
        HttpServerResponse out = rc.response();
        if (out.closed()) {
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
        HttpServerResponse out = rc.response();
        if (out.closed() || out.ended()) {
            return;
        }
        try {
            String body = json.writeValueAsString(Problem.of(type, detail, rc.request().path()));
            out.setStatusCode(type.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
            if (retryAfter != null) {
                out.putHeader(HttpHeaders.RETRY_AFTER, retryAfter);
            }
            out.end(body);
        } catch (JsonProcessingException e) {
            rc.fail(e);
        }
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
