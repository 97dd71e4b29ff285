package io.presence.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for user-service. Sessions: {@code Authorization: Bearer tok-<id>-<handle>} or the cookie
 * {@code presence_session=tok-<id>-<handle>} is user {@code id}; {@code Bearer user-<id>} is user {@code id} (any
 * text) with handle {@code h}; {@code Bearer broken} gets a 500; anything else is 401. Relations: {@link #CONTACTS}
 * and {@link #BLOCKS} hold "a/b" pairs, answered only to calls with the service token, as the real one does.
 * {@link #mode} makes every answer fail (500) or hang (past the client timeout).
 */
public class FakeUserService extends FakeHttpService {

    /** How the fake answers. */
    public enum Mode { OK, FAILING, HANGING }

    /** Accepted contacts, "low/high". */
    public static final Set<String> CONTACTS = ConcurrentHashMap.newKeySet();
    /** Blocks, "blocker/blocked". */
    public static final Set<String> BLOCKS = ConcurrentHashMap.newKeySet();
    public static final AtomicInteger SESSION_CALLS = new AtomicInteger();
    public static volatile Mode mode = Mode.OK;

    private static final Pattern TOKEN = Pattern.compile("tok-(\\d+)-([a-z0-9_.-]+)");
    private static final String ANY_USER = "Bearer user-";
    private static final AtomicInteger NEXT_USER = new AtomicInteger(1000);

    /** A fresh user id, so tests sharing one database never collide. */
    public static long newUserId() {
        return NEXT_USER.incrementAndGet();
    }

    public static String token(long id, String handle) {
        return "tok-" + id + "-" + handle;
    }

    public static void befriend(long a, long b) {
        CONTACTS.add(Math.min(a, b) + "/" + Math.max(a, b));
    }

    @Override
    protected void handlers(HttpServer server) {
        server.createContext("/api/sessions/me", FakeUserService::session);
        server.createContext("/internal/relations/", FakeUserService::relation);
    }

    @Override
    protected Map<String, String> config(String url) {
        return Map.of("quarkus.rest-client.user-service.url", url);
    }

    private static void session(HttpExchange exchange) throws IOException {
        SESSION_CALLS.incrementAndGet();
        if (misbehave(exchange)) {
            return;
        }
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        if (authorization.startsWith(ANY_USER)) {
            sendAccount(exchange, authorization.substring(ANY_USER.length()), "h");
            return;
        }
        if (authorization.equals("Bearer broken")) {
            send(exchange, 500, "{}");
            return;
        }
        String credential = credential(exchange);
        Matcher m = credential == null ? null : TOKEN.matcher(credential);
        if (m == null || !m.matches()) {
            send(exchange, 401, "{\"type\":\"urn:presence:problem:unauthorized\",\"status\":401}");
            return;
        }
        sendAccount(exchange, m.group(1), m.group(2));
    }

    private static void sendAccount(HttpExchange exchange, String id, String handle) throws IOException {
        send(exchange, 200, "{\"user\":{\"id\":\"" + id + "\",\"handle\":\"" + handle
                + "\",\"displayName\":null,\"status\":\"hi\",\"createdAt\":\"2026-01-01T00:00:00Z\"}}");
    }

    private static void relation(HttpExchange exchange) throws IOException {
        if (misbehave(exchange)) {
            return;
        }
        if (!fromService(exchange)) {
            send(exchange, 401, "{\"type\":\"urn:presence:problem:unauthorized\",\"status\":401}");
            return;
        }
        String[] parts = exchange.getRequestURI().getPath().split("/");
        long a = Long.parseLong(parts[3]);
        long b = Long.parseLong(parts[4]);
        boolean contacts = CONTACTS.contains(Math.min(a, b) + "/" + Math.max(a, b));
        boolean aBlocksB = BLOCKS.contains(a + "/" + b);
        boolean bBlocksA = BLOCKS.contains(b + "/" + a);
        send(exchange, 200, "{\"contacts\":" + contacts + ",\"aBlocksB\":" + aBlocksB + ",\"bBlocksA\":" + bBlocksA
                + ",\"mayTalk\":" + (contacts && !aBlocksB && !bBlocksA) + "}");
    }

    private static String credential(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            return authorization.substring(7);
        }
        String cookie = exchange.getRequestHeaders().getFirst("Cookie");
        if (cookie != null) {
            for (String part : cookie.split(";")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals("presence_session")) {
                    return kv[1];
                }
            }
        }
        return null;
    }

    private static boolean misbehave(HttpExchange exchange) throws IOException {
        switch (mode) {
            case FAILING -> {
                send(exchange, 500, "{}");
                return true;
            }
            case HANGING -> {
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return true;
            }
            default -> {
                return false;
            }
        }
    }
}
