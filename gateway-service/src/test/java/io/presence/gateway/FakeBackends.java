package io.presence.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.presence.infra.Infrastructure;
import io.presence.testsupport.FakeHttpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for user-service and presence-service that echoes what it received; message-service points at a
 * port nobody listens on. Lets the gateway's proxy be tested without the real backends (see {@link GatewayTestResources}).
 */
public class FakeBackends extends FakeHttpService {

    /** Longest a silent answer is held (until the fake stops, normally), so no thread outlives a broken run for long. */
    private static final long SILENCE_MINUTES = 2;

    private final CountDownLatch stopped = new CountDownLatch(1);

    /** The method and path of each /drop-once- request already dropped: the next one like it is answered. */
    private final Set<String> droppedOnce = ConcurrentHashMap.newKeySet();

    @Override
    protected void handlers(HttpServer server) {
        server.createContext("/", this::echo);
        server.createContext("/internal/apps", FakeBackends::apps);
    }

    /**
     * user-service's app store as the console's app API sees it: 401 without the service token; an id "missing" is
     * 404, a create with id "taken" 409, with {@code maxConnections: -2} a 400 naming the field; a create is 201 with a
     * Location and the body plus a secret; a delete 204; anything else 200 with the body received (or []). The method
     * and path seen come back in X-Seen-Method and X-Seen-Uri.
     */
    private static void apps(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        exchange.getResponseHeaders().add("X-Seen-Method", method);
        exchange.getResponseHeaders().add("X-Seen-Uri", exchange.getRequestURI().toString());
        if (!fromService(exchange)) {
            send(exchange, 401, "{\"type\":\"urn:presence:problem:unauthorized\",\"status\":401,\"detail\":\"token\"}");
        } else if (path.contains("/missing")) {
            send(exchange, 404, "{\"type\":\"urn:presence:problem:not-found\",\"status\":404,\"detail\":\"no app missing\"}");
        } else if (method.equals("POST") && body.contains("\"taken\"")) {
            send(exchange, 409, "{\"type\":\"urn:presence:problem:conflict\",\"status\":409,\"detail\":\"an app with id taken exists\"}");
        } else if (body.contains("\"maxConnections\":-2")) {
            send(exchange, 400, "{\"type\":\"urn:presence:problem:validation\",\"status\":400,\"detail\":\"invalid: maxConnections\","
                    + "\"errors\":[{\"field\":\"maxConnections\",\"message\":\"must be a whole number from 0, -1 (no limit)\"}]}");
        } else if (method.equals("POST") && path.equals("/internal/apps")) {
            exchange.getResponseHeaders().add("Location", "http://user-service:8081/internal/apps/new-app");
            byte[] reply = (body.substring(0, body.lastIndexOf('}')) + ",\"secret\":\"fresh-secret\"}").getBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        } else if (method.equals("DELETE")) {
            sendStatus(exchange, 204);
        } else {
            send(exchange, 200, body.isEmpty() ? "[]" : body);
        }
    }

    @Override
    public void stop() {
        stopped.countDown();
        super.stop();
    }

    @Override
    protected Map<String, String> config(String url) {
        return Map.of(
                "gateway.backends.user-service", url,
                "gateway.backends.presence-service", url,
                "internal.token", SERVICE_TOKEN,
                "gateway.backends.message-service", "http://127.0.0.1:" + Infrastructure.freePort(),
                // generous, as a busy machine needs, and yet the silent backend's 504 comes well before the test's bound
                "gateway.proxy.connect-timeout", "10s",
                "gateway.proxy.response-timeout", "10s");
    }

    /**
     * Answers with the status asked for in X-Echo-Status, echoes the request line and selected headers as
     * response headers, and the SHA-256 and size of the body it read. Paths ending in /silent never answer (not
     * before the fake stops); paths ending in /early answer 401 before reading the body (then read it), as a backend
     * refusing an upload does. The first request to a path containing /drop-once- (per method) is read and its
     * connection closed without an answer.
     */
    private void echo(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().endsWith("/early")) {
            byte[] refusal = "{\"type\":\"urn:presence:problem:unauthorized\",\"status\":401}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(401, refusal.length);
            exchange.getResponseBody().write(refusal);
            exchange.getResponseBody().flush();
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            exchange.close();
            return;
        }
        if (exchange.getRequestURI().getPath().endsWith("/silent")) {
            try {
                // far past the gateway's response timeout: its 504 never races an answer from here
                stopped.await(SILENCE_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (exchange.getRequestURI().getPath().contains("/drop-once-")
                && droppedOnce.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath())) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            exchange.close(); // no answer: the connection is closed, as a backend that goes away leaves it
            return;
        }
        long size = 0;
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try (InputStream body = exchange.getRequestBody()) {
            byte[] buffer = new byte[65536];
            for (int n; (n = body.read(buffer)) > 0; size += n) {
                sha.update(buffer, 0, n);
            }
        }
        var headers = exchange.getResponseHeaders();
        headers.add("X-Seen-Method", exchange.getRequestMethod());
        headers.add("X-Seen-Uri", exchange.getRequestURI().toString());
        headers.add("X-Seen-Forwarded-For", String.valueOf(exchange.getRequestHeaders().get("X-Forwarded-For")));
        headers.add("X-Seen-Forwarded-Proto", String.valueOf(exchange.getRequestHeaders().get("X-Forwarded-Proto")));
        headers.add("X-Seen-Forwarded-Host", String.valueOf(exchange.getRequestHeaders().get("X-Forwarded-Host")));
        headers.add("X-Seen-Forwarded-Port", String.valueOf(exchange.getRequestHeaders().get("X-Forwarded-Port")));
        headers.add("X-Seen-Forwarded", String.valueOf(exchange.getRequestHeaders().get("Forwarded")));
        headers.add("X-Seen-Proxy-Authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Proxy-Authorization")));
        headers.add("X-Seen-Authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        headers.add("X-Seen-Internal-Token", String.valueOf(exchange.getRequestHeaders().getFirst("X-Internal-Token")));
        headers.add("Set-Cookie", "session=abc; HttpOnly");
        headers.add("Content-Type", "application/json");
        String status = exchange.getRequestHeaders().getFirst("X-Echo-Status");
        byte[] reply = ("{\"size\":" + size + ",\"sha256\":\"" + HexFormat.of().formatHex(sha.digest()) + "\"}").getBytes();
        exchange.sendResponseHeaders(status == null ? 200 : Integer.parseInt(status), reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        }
    }
}
