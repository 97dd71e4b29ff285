package io.presence.gateway.console;

import io.presence.common.budget.Budgets;
import io.presence.common.http.ClientAddress;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.gateway.console.ConsoleViews.OperatorSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who is an operator: whoever knows the console password (PRESENCE_CONSOLE_PASSWORD). Without a password the console
 * is off: there is no fallback to any other secret. A login starts a session ({@link ConsoleSessions}, in Redis, so
 * every gateway knows it and an operator can revoke it); its cookie is {@code <id>.<hmac>}, signed with the password,
 * so changing the password ends every session too. Scripts may send the password as a bearer token instead.
 *
 * <p>Guessing is throttled per subject with the cluster-wide budget {@value #BUDGET} ({@code budgets.console-login.*}):
 * every wrong password or bearer token takes one; once the budget refuses, that subject gets 429 with Retry-After.
 * The subject is the browser when it brings the device cookie of an earlier successful login, else the client's
 * address group (IPv4 address, IPv6 /64; see {@link ClientAddress}). Three rules together keep the operator in and
 * guessers out:
 * <ul>
 * <li>The password is compared first, in constant time on SHA-256 digests (the same cost, right or wrong), and only a
 * wrong one is counted: no flood of wrong guesses from other addresses or browsers can refuse the right password,
 * and scripts with the right token never spend the budget.</li>
 * <li>Once the budget refused a subject, this gateway answers that subject's every attempt 429 without comparing it,
 * until Retry-After has passed: an address over its budget cannot go on guessing and learn from the answers. So guesses
 * are bounded: the budget's limit per period, plus at most one per gateway each time its refusal runs out.</li>
 * <li>Because that refusal also holds back the right password from a throttled subject, a browser that logged in
 * before is its own subject (device cookie, {@value #DEVICE_COOKIE}, signed, issued only at a successful login): an
 * attacker behind the operator's address (the same NAT) locks out only browsers that never logged in.</li>
 * </ul>
 */
@ApplicationScoped
public class OperatorAuth {

    /** The session cookie's name. */
    public static final String COOKIE = "presence_console";
    /** The cookie that recognises a browser that logged in before. */
    public static final String DEVICE_COOKIE = "presence_console_device";
    /** The budget of wrong passwords and bearer tokens per subject. */
    public static final String BUDGET = "console-login";
    /** Most subjects this gateway remembers as refused (the oldest are forgotten first: at worst one more guess each). */
    private static final int MAX_REFUSED = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A successful login: the session, its cookie value and the browser's device cookie value. */
    public record Login(OperatorSession session, String sessionToken, String deviceToken) {
    }

    private final ConsoleConfig config;
    private final ConsoleSessions sessions;
    private final Budgets budgets;
    /** SHA-256 of the password; null when none is set (the console is off). */
    private final byte[] passwordDigest;
    private final byte[] signingKey;
    /** Subjects the budget refused, until when (epoch ms); bounded, oldest first out. */
    private final Map<String, Long> refusedUntil = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_REFUSED;
        }
    };

    public OperatorAuth(ConsoleConfig config, ConsoleSessions sessions, Budgets budgets) {
        this.config = config;
        this.sessions = sessions;
        this.budgets = budgets;
        Optional<String> password = config.password().filter(p -> !p.isBlank());
        this.passwordDigest = password.map(OperatorAuth::sha256).orElse(null);
        this.signingKey = password.map(p -> p.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
    }

    /** True when the console is on and has a password. */
    public boolean enabled() {
        return config.enabled() && passwordDigest != null;
    }

    /** Refuses everything with 404 while the console is off (turned off, or no password set). */
    public void requireEnabled() {
        if (!enabled()) {
            throw new ProblemException(ProblemType.NOT_FOUND,
                    "the console is off (presence.console.enabled=false, or no PRESENCE_CONSOLE_PASSWORD is set)");
        }
    }

    /** A new session for the right password; 401 for a wrong one, 429 (Retry-After) once the subject is over budget. */
    public Uni<Login> login(String attempt, String address, String deviceToken, String userAgent) {
        String deviceId = signedId("device", deviceToken);
        return checked(subject(address, deviceId), attempt).chain(() -> {
            long now = System.currentTimeMillis();
            OperatorSession session = new OperatorSession(randomId(), now, now + config.sessionTtl().toMillis(), address,
                    userAgent == null ? "" : userAgent.substring(0, Math.min(200, userAgent.length())));
            String device = deviceId != null ? deviceId : randomId();
            return sessions.save(session).replaceWith(new Login(session, sign("session", session.id()), sign("device", device)));
        });
    }

    /**
     * The operator of a request: the live session of its cookie, else (empty) the password as its bearer token.
     * Fails with 401 when neither is valid, 429 when the bearer token's subject is over budget.
     */
    public Uni<Optional<OperatorSession>> operator(String sessionToken, String bearer, String address) {
        String id = signedId("session", sessionToken);
        Uni<Optional<OperatorSession>> session = id == null ? Uni.createFrom().item(Optional.empty()) : sessions.find(id);
        return session.chain(found -> {
            if (found.isPresent()) {
                return Uni.createFrom().item(found);
            }
            if (bearer != null) {
                return checked(subject(address, null), bearer).replaceWith(Optional.<OperatorSession>empty());
            }
            return Uni.createFrom().failure(new ProblemException(ProblemType.UNAUTHORIZED,
                    id == null ? "log in as operator first (POST /console/api/session)" : "this session has ended; log in again"));
        });
    }

    /** The session id of a session cookie value with a valid signature (live or not), else null. */
    public String sessionId(String sessionToken) {
        return signedId("session", sessionToken);
    }

    /** Ends the session of a session cookie value, if it is one. */
    public Uni<Void> logout(String sessionToken) {
        String id = signedId("session", sessionToken);
        return id == null ? Uni.createFrom().voidItem() : sessions.revoke(id).replaceWithVoid();
    }

    /** Seconds a session lasts, for the cookie. */
    public long sessionSeconds() {
        return config.sessionTtl().toSeconds();
    }

    /** Seconds a browser is recognised, for the device cookie. */
    public long deviceSeconds() {
        return config.deviceTtl().toSeconds();
    }

    /** The throttle (see the class comment): passes the right password, fails with 401 or 429. */
    private Uni<Void> checked(String subject, String attempt) {
        long refusedFor = refusedFor(subject);
        if (refusedFor > 0) {
            return Uni.createFrom().failure(Budgets.refusal(BUDGET, new Budgets.Verdict(false, Duration.ofMillis(refusedFor))));
        }
        if (matches(attempt)) {
            return Uni.createFrom().voidItem();
        }
        return budgets.take(BUDGET, subject).map(verdict -> {
            if (!verdict.allowed()) {
                refuse(subject, verdict.retryAfter());
                throw Budgets.refusal(BUDGET, verdict);
            }
            throw new ProblemException(ProblemType.UNAUTHORIZED, "wrong operator password");
        });
    }

    private static String subject(String address, String deviceId) {
        return deviceId != null ? "device:" + deviceId : "address:" + ClientAddress.group(address);
    }

    private synchronized long refusedFor(String subject) {
        Long until = refusedUntil.get(subject);
        if (until == null) {
            return 0;
        }
        long left = until - System.currentTimeMillis();
        if (left <= 0) {
            refusedUntil.remove(subject);
        }
        return left;
    }

    private synchronized void refuse(String subject, Duration retryAfter) {
        refusedUntil.remove(subject); // re-inserted as the newest
        refusedUntil.put(subject, System.currentTimeMillis() + Math.max(1, retryAfter.toMillis()));
    }

    private boolean matches(String attempt) {
        return passwordDigest != null && attempt != null && MessageDigest.isEqual(passwordDigest, sha256(attempt));
    }

    /** {@code <id>.<hmac of kind:id>}: an id this gateway's password vouches for. */
    private String sign(String kind, String id) {
        return id + "." + hmac(kind + ":" + id);
    }

    /** The id of a value {@link #sign} made for this kind, or null for anything else. */
    private String signedId(String kind, String value) {
        if (value == null || passwordDigest == null) {
            return null;
        }
        int dot = value.indexOf('.');
        if (dot <= 0 || dot != value.lastIndexOf('.')) {
            return null;
        }
        String id = value.substring(0, dot);
        boolean valid = MessageDigest.isEqual(hmac(kind + ":" + id).getBytes(StandardCharsets.US_ASCII),
                value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
        return valid ? id : null;
    }

    private String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            mac.update("presence-console:".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String randomId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
