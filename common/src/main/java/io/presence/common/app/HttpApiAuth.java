package io.presence.common.app;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.pusher.PusherApp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks Pusher HTTP API signatures: {@code auth_signature = hex(HMAC-SHA256(secret, METHOD\nPATH\nQUERY))} where
 * QUERY is every other parameter, keys lower-cased and sorted, {@code k=v} joined with {@code &}, values unescaped;
 * plus the key, a timestamp within 600 s, version 1.0 and the body's MD5.
 */
@ApplicationScoped
public class HttpApiAuth {

    private static final long MAX_SKEW_SECONDS = 600;

    private final AppRegistry apps;

    public HttpApiAuth(AppRegistry apps) {
        this.apps = apps;
    }

    /** True when the request carries a Pusher signature (so it comes from a backend, not a browser). */
    public static boolean isSigned(MultivaluedMap<String, String> query) {
        return query.containsKey("auth_signature");
    }

    /** Like {@link #verify} for paths without an app id: the app is the one {@code auth_key} names. */
    public App verifyByKey(String method, String path, MultivaluedMap<String, String> query, byte[] body) {
        App app = apps.byKey(query.getFirst("auth_key")).orElseThrow(() -> unauthorized("auth_key names no app"));
        return verify(app.id(), method, path, query, body);
    }

    /**
     * The app the request is signed for; 404 for an unknown app, 401 for anything wrong with the signature, 403 for a
     * disabled app (checked after the signature, so a stranger learns nothing of an app's state). During a secret's
     * grace period after a rotation, signatures of the previous secret are accepted too.
     */
    public App verify(String appId, String method, String path, MultivaluedMap<String, String> query, byte[] body) {
        App app = apps.byId(appId).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "unknown app " + appId));
        if (!app.key().equals(query.getFirst("auth_key"))) {
            throw unauthorized("auth_key does not belong to app " + appId);
        }
        if (!"1.0".equals(query.getFirst("auth_version"))) {
            throw unauthorized("auth_version must be 1.0");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(String.valueOf(query.getFirst("auth_timestamp")));
        } catch (NumberFormatException e) {
            throw unauthorized("auth_timestamp must be seconds since the epoch");
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - timestamp) > MAX_SKEW_SECONDS) {
            throw unauthorized("auth_timestamp is more than 600 s away from the server's clock");
        }
        if (body != null && body.length > 0 && !PusherApp.md5(body).equals(query.getFirst("body_md5"))) {
            throw unauthorized("body_md5 does not match the body");
        }
        if (!app.verifySignature(query.getFirst("auth_signature"), method + "\n" + path + "\n" + canonicalQuery(query))) {
            throw unauthorized("invalid auth_signature");
        }
        if (!app.enabled()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "app " + appId + " is disabled");
        }
        return app;
    }

    static String canonicalQuery(MultivaluedMap<String, String> query) {
        Map<String, String> sorted = new TreeMap<>();
        query.forEach((key, values) -> {
            if (!key.equals("auth_signature") && !values.isEmpty()) {
                sorted.put(key.toLowerCase(), values.get(0));
            }
        });
        return sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(ProblemType.UNAUTHORIZED, detail);
    }
}
