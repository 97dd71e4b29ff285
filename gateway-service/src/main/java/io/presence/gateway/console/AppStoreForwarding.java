package io.presence.gateway.console;

import io.presence.common.internal.InternalAuthConfig;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.proxy.Backend;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The console's app API ({@code /console/api/apps}) is user-service's {@code /internal/apps}: calls are forwarded with
 * the service token, and status, body and headers come back unchanged (problem+json included); a Location is
 * rewritten to the console's path. user-service down or silent is a 503 or 504 problem.
 */
@ApplicationScoped
public class AppStoreForwarding {

    private static final Logger LOG = Logger.getLogger(AppStoreForwarding.class);
    private static final String INTERNAL = "/internal/apps";
    private static final String CONSOLE = "/console/api/apps";
    /** Headers of user-service's answer that describe its hop, not the answer, and the Location rewritten below. */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "transfer-encoding", "content-length",
            "set-cookie", "location", "trailer", "upgrade");

    private final Backend userService;
    private final GatewayConfig config;
    private final InternalAuthConfig internal;
    private final HttpClient client;

    public AppStoreForwarding(GatewayConfig config, InternalAuthConfig internal, Vertx vertx) {
        this.userService = new Backend("user-service", config.backends().userService());
        this.config = config;
        this.internal = internal;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.proxy().connectTimeout().toMillis()).setKeepAlive(true));
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }

    /** Forwards a call to {@code /internal/apps} followed by {@code path} (e.g. {@code /{id}/secret}), with an optional JSON body. */
    public Uni<Response> forward(HttpMethod method, String path, String body) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(userService.target(INTERNAL + path))
                .setIdleTimeout(config.proxy().responseTimeout().toMillis())
                .putHeader(HttpHeaders.ACCEPT, "application/json, application/problem+json");
        internal.token().filter(t -> !t.isBlank()).ifPresent(t -> options.putHeader(InternalAuthConfig.HEADER, t));
        if (body != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        var answer = client.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(bytes -> {
                    Response.ResponseBuilder out = Response.status(response.statusCode());
                    response.headers().forEach((name, value) -> {
                        if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
                            out.header(name, value);
                        }
                    });
                    String location = response.getHeader(HttpHeaders.LOCATION);
                    if (location != null && location.contains(INTERNAL)) {
                        out.header(HttpHeaders.LOCATION.toString(), CONSOLE + location.substring(location.indexOf(INTERNAL) + INTERNAL.length()));
                    }
                    return bytes.length() == 0 ? out.build() : out.entity(bytes.getBytes()).build();
                }));
        return Uni.createFrom().completionStage(answer.toCompletionStage())
                .onFailure().transform(this::problem);
    }

    /** A path segment as user-service must receive it (an id is never read as more than one segment). */
    public static String segment(String id) {
        return "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private ProblemException problem(Throwable err) {
        LOG.warnf("user-service failed for the app API: %s", err.toString());
        if (err instanceof TimeoutException || err.getClass().getSimpleName().contains("Timeout")) {
            return new ProblemException(ProblemType.GATEWAY_TIMEOUT, "user-service did not answer in time");
        }
        if (err instanceof ConnectException || err.getCause() instanceof ConnectException) {
            return new ProblemException(ProblemType.BACKEND_UNAVAILABLE, "user-service is unavailable, retry later",
                    Map.of("Retry-After", "2"));
        }
        return new ProblemException(ProblemType.BAD_GATEWAY, "user-service closed the connection without a complete answer");
    }
}
