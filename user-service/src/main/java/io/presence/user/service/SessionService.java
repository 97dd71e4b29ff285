package io.presence.user.service;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.user.config.UserConfig;
import io.presence.user.model.Account;
import io.presence.user.repository.LoginThrottle;
import io.presence.user.repository.SessionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Logs in, recognises and logs out sessions: opaque random tokens whose SHA-256 is kept in Redis, living for the
 * sliding TTL since their last use but never longer than their absolute lifetime. Ending a session closes the sockets
 * it authorized ({@link SessionSockets}).
 */
@ApplicationScoped
public class SessionService {

    /** A live session: the stored hash of its token and its account. */
    public record Session(String tokenHash, long accountId) {
    }

    /** A fresh login: the token (shown once, never stored) and its account. */
    public record Login(String token, Account account, Duration ttl) {
    }

    /** 32 random bytes, base64url without padding. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String BAD_CREDENTIALS = "wrong handle or password";

    private final SecureRandom random = new SecureRandom();
    private final AccountService accounts;
    private final SessionStore store;
    private final LoginThrottle throttle;
    private final PasswordHasher hasher;
    private final UserConfig config;
    private final SessionSockets ending;

    public SessionService(AccountService accounts, SessionStore store, LoginThrottle throttle, PasswordHasher hasher,
                          UserConfig config, SessionSockets ending) {
        this.ending = ending;
        this.accounts = accounts;
        this.store = store;
        this.throttle = throttle;
        this.hasher = hasher;
        this.config = config;
    }

    public Login login(String handle, String password, String clientAddress) {
        Account account = checkPassword(AccountService.normaliseHandle(handle), password, clientAddress);
        String token = newToken();
        store.create(hash(token), account.id, config.session().ttl(), config.session().lifetime());
        return new Login(token, account, config.session().ttl());
    }

    /**
     * The account whose handle and password these are. The login throttle counts the attempt first and refuses it
     * (429 with Retry-After) before any bcrypt runs when a limit is passed; see {@link LoginThrottle}.
     */
    private Account checkPassword(String handle, String password, String clientAddress) {
        throttle.attempt(handle, clientAddress).ifPresent(wait -> {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new ProblemException(ProblemType.RATE_LIMITED, "too many failed logins, retry in " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)));
        });
        Optional<Account> account = accounts.findByHandle(handle);
        // exactly one bcrypt check either way, so an unknown handle answers no sooner than a wrong password
        boolean matches = account.isPresent() ? hasher.matches(password, account.get().passwordHash)
                : hasher.matchesNoAccount(password);
        if (!matches) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, BAD_CREDENTIALS);
        }
        throttle.succeeded(handle, clientAddress);
        return account.get();
    }

    /** The session of the request (Bearer header first, then the session cookie), renewing its expiry. */
    public Optional<Session> authenticate(HttpHeaders headers) {
        return token(headers).filter(t -> TOKEN.matcher(t).matches()).flatMap(token -> {
            String hash = hash(token);
            SessionStore.Touched touched = store.touch(hash, config.session().ttl(), config.session().lifetime());
            ending.close(touched.ended()); // it had expired: ended now, like a logout
            return touched.account().map(accountId -> new Session(hash, accountId));
        });
    }

    /** Like {@link #authenticate} but answers 401 when there is no live session. */
    public Session require(HttpHeaders headers) {
        return authenticate(headers)
                .orElseThrow(() -> new ProblemException(ProblemType.UNAUTHORIZED, "log in first: no valid session"));
    }

    /** Ends this session; the sockets it authorized are closed on every gateway. */
    public void logout(Session session) {
        ending.end(session);
    }

    /** Ends every session of the account; the sockets they authorized are closed on every gateway. */
    public void logoutEverywhere(long accountId) {
        ending.endAll(accountId);
    }

    private Optional<String> token(HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).trim());
        }
        Cookie cookie = headers.getCookies().get(config.session().cookieName());
        return Optional.ofNullable(cookie).map(Cookie::getValue);
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
