package io.presence.presence;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stands in for user-service's session check: {@code Authorization: Bearer user-<id>} is user {@code <id>},
 * {@code Bearer broken} gets a 500 (user-service failing), anything else a 401.
 */
public class FakeUserService implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/sessions/me", FakeUserService::me);
        server.start();
        return Map.of("quarkus.rest-client.user-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void me(HttpExchange exchange) throws IOException {
        String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        int status;
        String body = "";
        if (auth.startsWith("Bearer user-")) {
            status = 200;
            body = "{\"user\":{\"id\":\"" + auth.substring("Bearer user-".length()) + "\",\"handle\":\"h\"}}";
        } else if (auth.equals("Bearer broken")) {
            status = 500;
        } else {
            status = 401;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
