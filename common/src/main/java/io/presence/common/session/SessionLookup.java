package io.presence.common.session;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.WebApplicationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Finds the user behind a request's session credentials by asking user-service, which owns sessions: no credentials
 * or an unknown session is a 401 problem; user-service failing, hanging or unreachable is a 503 with Retry-After,
 * never a 500. Each service wraps its own REST client in {@link Api} and decides what to cache.
 */
public final class SessionLookup {

    private static final Logger LOG = Logger.getLogger(SessionLookup.class);
    private static final Map<String, String> RETRY = Map.of("Retry-After", "2");
    /** A bound above the REST clients' own read timeouts, for a client configured without one. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** user-service's {@code GET /api/sessions/me}, with the caller's own headers passed on unchanged (null when absent). */
    @FunctionalInterface
    public interface Api {
        Uni<SessionAnswer> me(String authorization, String cookie);
    }

    /** Body of {@code GET /api/sessions/me}. */
    public record SessionAnswer(Account user) {
    }

    /** The logged-in account, as user-service describes it (further fields are ignored). */
    public record Account(String id, String handle, String displayName) {
    }

    private final Api api;
    private final String loginHint;

    /** {@code loginHint} is the detail of the 401 for a request without any credentials. */
    public SessionLookup(Api api, String loginHint) {
        this.api = api;
        this.loginHint = loginHint;
    }

    /** The user behind these credentials (the request's {@code Authorization} and {@code Cookie} headers). */
    public Uni<SessionUser> user(String authorization, String cookie) {
        if (!hasCredentials(authorization, cookie)) {
            return Uni.createFrom().failure(new ProblemException(ProblemType.UNAUTHORIZED, loginHint));
        }
        return api.me(blankToNull(authorization), blankToNull(cookie))
                .ifNoItem().after(TIMEOUT).failWith(() -> unavailable("user-service did not answer within " + TIMEOUT))
                .map(SessionLookup::user)
                .onFailure(e -> !(e instanceof ProblemException)).transform(SessionLookup::problem);
    }

    /** A hash of both credentials, so a cache keyed by it never holds a token. */
    public static String credentialHash(String authorization, String cookie) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.valueOf(authorization).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(String.valueOf(cookie).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 503 problem with Retry-After saying that user-service cannot be asked now; logs why. */
    public static ProblemException unavailable(String why) {
        LOG.warnf("session check failed: %s", why);
        return new ProblemException(ProblemType.BACKEND_UNAVAILABLE,
                "user-service, which checks sessions, cannot be asked now; retry later", RETRY);
    }

    private static SessionUser user(SessionAnswer answer) {
        Account account = answer == null ? null : answer.user();
        if (account == null || isBlank(account.id()) || account.handle() == null) {
            throw unavailable("user-service answered without an account");
        }
        String name = account.displayName() == null ? account.handle() : account.displayName();
        return new SessionUser(account.id(), account.handle(), name);
    }

    private static ProblemException problem(Throwable failure) {
        if (failure instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            return status == 401
                    ? new ProblemException(ProblemType.UNAUTHORIZED, "log in first: no valid session")
                    : unavailable("user-service answered " + status);
        }
        return unavailable(failure.toString());
    }

    private static boolean hasCredentials(String authorization, String cookie) {
        return !isBlank(authorization) || !isBlank(cookie);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value;
    }
}
