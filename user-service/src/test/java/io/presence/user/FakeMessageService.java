package io.presence.user;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for message-service's membership endpoint: {@link #MEMBERS} holds "room/user" pairs that are members;
 * room {@link #BROKEN_ROOM} always fails with 500, to see how user-service copes. Like the real one, it answers 401
 * unless the call carries the service token.
 */
public class FakeMessageService implements QuarkusTestResourceLifecycleManager {

    public static final Set<String> MEMBERS = ConcurrentHashMap.newKeySet();
    public static final long BROKEN_ROOM = 13;

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/internal/rooms/", exchange -> {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            // /internal/rooms/{room}/members/{user}
            String room = parts[3];
            String user = parts[5];
            boolean authenticated = TestUsers.SERVICE_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"));
            int status = !authenticated ? 401 : room.equals(Long.toString(BROKEN_ROOM)) ? 500
                    : MEMBERS.contains(room + "/" + user) ? 204 : 404;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return Map.of("quarkus.rest-client.message-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
