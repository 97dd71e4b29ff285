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

/** Logs in, recognises and logs out sessions: opaque random tokens whose SHA-256 is kept in Redis. */
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

    public SessionService(AccountService accounts, SessionStore store, LoginThrottle throttle, PasswordHasher hasher,
                          UserConfig config) {
        this.accounts = accounts;
        this.store = store;
        this.throttle = throttle;
        this.hasher = hasher;
        this.config = config;
    }

    public Login login(String handle, String password, String clientAddress) {
        String normalised = AccountService.normaliseHandle(handle);
        throttle.blockedFor(normalised, clientAddress).ifPresent(wait -> {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new ProblemException(ProblemType.RATE_LIMITED, "too many failed logins, retry in " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)));
        });
        Optional<Account> account = accounts.findByHandle(normalised);
        // exactly one bcrypt check either way, so an unknown handle answers no sooner than a wrong password
        boolean matches = account.isPresent() ? hasher.matches(password, account.get().passwordHash)
                : hasher.matchesNoAccount(password);
        if (!matches) {
            throttle.recordFailure(normalised, clientAddress);
            throw new ProblemException(ProblemType.UNAUTHORIZED, BAD_CREDENTIALS);
        }
        throttle.recordSuccess(normalised, clientAddress);
        String token = newToken();
        store.create(hash(token), account.get().id, config.session().ttl());
        return new Login(token, account.get(), config.session().ttl());
    }

    /** The session of the request (Bearer header first, then the session cookie), renewing its expiry. */
    public Optional<Session> authenticate(HttpHeaders headers) {
        return token(headers).filter(t -> TOKEN.matcher(t).matches()).flatMap(token -> {
            String hash = hash(token);
            return store.touch(hash, config.session().ttl()).map(accountId -> new Session(hash, accountId));
        });
    }

    /** Like {@link #authenticate} but answers 401 when there is no live session. */
    public Session require(HttpHeaders headers) {
        return authenticate(headers)
                .orElseThrow(() -> new ProblemException(ProblemType.UNAUTHORIZED, "log in first: no valid session"));
    }

    public void logout(Session session) {
        store.delete(session.tokenHash(), session.accountId());
    }

    public void logoutEverywhere(long accountId) {
        store.deleteAll(accountId);
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
