package io.presence.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/** A hand-written stand-in for another service on a free local port, started and stopped as a Quarkus test resource. */
public abstract class FakeHttpService implements QuarkusTestResourceLifecycleManager {

    /** The service token the services' test profiles share ({@code %test.internal.token}). */
    public static final String SERVICE_TOKEN = "test-internal-token";

    private HttpServer server;

    /** Adds the fake's endpoints. */
    protected abstract void handlers(HttpServer server);

    /** The configuration that points the service under test at this fake, reachable at {@code url}. */
    protected abstract Map<String, String> config(String url);

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // several threads, so one hanging answer does not hold up the others
        server.setExecutor(Executors.newCachedThreadPool());
        handlers(server);
        server.start();
        return config("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Whether the call carries the service token, as the real services require on /internal. */
    protected static boolean fromService(HttpExchange exchange) {
        return SERVICE_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"));
    }

    /** Answers with a JSON body ({@code application/problem+json} unless the status is 200). */
    protected static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Answers with a status and no body. */
    protected static void sendStatus(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
