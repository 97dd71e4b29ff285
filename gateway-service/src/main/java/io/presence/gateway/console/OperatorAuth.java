package io.presence.gateway.console;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.pusher.PusherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who is an operator: whoever knows the console password (or, when none is set, the main app's secret). A login
 * yields a session token {@code <expires-ms>.<hmac>} signed with the password, so every gateway of the cluster
 * accepts it without shared state, and changing the password ends every session. Scripts may instead send the
 * password as a bearer token.
 */
@ApplicationScoped
public class OperatorAuth {

    /** The session cookie's name. */
    public static final String COOKIE = "presence_console";

    private final ConsoleConfig config;
    private final byte[] password;
    private long windowStart;
    private int failures;

    public OperatorAuth(ConsoleConfig config, PusherConfig pusher) {
        this.config = config;
        this.password = config.password().filter(p -> !p.isBlank()).orElse(pusher.secret()).getBytes(StandardCharsets.UTF_8);
    }

    /** Refuses everything with 404 while the console is turned off. */
    public void requireEnabled() {
        if (!config.enabled()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "the console is turned off (presence.console.enabled)");
        }
    }

    /** A session token for the right password; 401 for a wrong one, 429 after too many wrong ones in a minute. */
    public String login(String attempt) {
        throttle();
        if (!matches(attempt)) {
            failed();
            throw new ProblemException(ProblemType.UNAUTHORIZED, "wrong operator password");
        }
        long expires = System.currentTimeMillis() + config.sessionTtl().toMillis();
        return expires + "." + sign(Long.toString(expires));
    }

    /** True for an unexpired session token of the current password. */
    public boolean validSession(String token) {
        if (token == null) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String expires = token.substring(0, dot);
        try {
            if (Long.parseLong(expires) < System.currentTimeMillis()) {
                return false;
            }
        } catch (NumberFormatException e) {
            return false;
        }
        return MessageDigest.isEqual(sign(expires).getBytes(StandardCharsets.US_ASCII),
                token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }

    /** True for the password as a script's bearer token; wrong ones count as failed logins. */
    public boolean validBearer(String attempt) {
        throttle();
        if (matches(attempt)) {
            return true;
        }
        failed();
        return false;
    }

    private boolean matches(String attempt) {
        return attempt != null && MessageDigest.isEqual(password, attempt.getBytes(StandardCharsets.UTF_8));
    }

    /** Seconds a session lasts, for the cookie. */
    public long sessionSeconds() {
        return config.sessionTtl().toSeconds();
    }

    private synchronized void throttle() {
        long now = System.currentTimeMillis();
        if (now - windowStart >= 60_000) {
            windowStart = now;
            failures = 0;
        }
        if (failures >= config.failedLoginsPerMinute()) {
            throw new ProblemException(ProblemType.RATE_LIMITED, "too many failed logins; wait a minute");
        }
    }

    private synchronized void failed() {
        failures++;
    }

    private String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(password, "HmacSHA256"));
            mac.update("presence-console-session:".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
