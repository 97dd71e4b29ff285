package io.presence.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for message-service's membership endpoint: {@link #MEMBERS} holds "room/user" pairs that are members;
 * room {@link #BROKEN_ROOM} always fails with 500, to see how the caller copes. Like the real one, it answers 401
 * unless the call carries the service token.
 */
public class FakeMessageService extends FakeHttpService {

    public static final Set<String> MEMBERS = ConcurrentHashMap.newKeySet();
    public static final long BROKEN_ROOM = 13;

    @Override
    protected void handlers(HttpServer server) {
        server.createContext("/internal/rooms/", exchange -> {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            // /internal/rooms/{room}/members/{user}
            String room = parts[3];
            String user = parts[5];
            int status = !fromService(exchange) ? 401 : room.equals(Long.toString(BROKEN_ROOM)) ? 500
                    : MEMBERS.contains(room + "/" + user) ? 204 : 404;
            sendStatus(exchange, status);
        });
    }

    @Override
    protected Map<String, String> config(String url) {
        return Map.of("quarkus.rest-client.message-service.url", url);
    }
}
