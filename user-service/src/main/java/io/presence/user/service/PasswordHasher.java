package io.presence.user.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.user.config.UserConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Hashes and checks passwords with bcrypt at the configured cost, counting every check ({@value #CHECKS}). */
@ApplicationScoped
public class PasswordHasher {

    /** The counter of password checks: one per login that got past throttling, whether the handle exists or not. */
    public static final String CHECKS = "users.password.checks";

    /** bcrypt reads at most 72 bytes of a password; longer ones would be silently truncated. */
    static final int MAX_BYTES = 72;

    private final int cost;
    private final Counter checks;
    /**
     * Checked against when a handle is unknown, so that case does the same work as a wrong password: a bcrypt hash
     * made like the stored ones (same algorithm, same cost) of a random secret that is never kept, made once.
     */
    private final String dummyHash;

    @Inject
    public PasswordHasher(UserConfig config, MeterRegistry metrics) {
        this(config.password().bcryptCost(), metrics);
    }

    PasswordHasher(int cost, MeterRegistry metrics) {
        this.cost = cost;
        this.checks = Counter.builder(CHECKS).description("Password hash checks, those against the dummy hash included")
                .register(metrics);
        this.dummyHash = hash(UUID.randomUUID().toString());
    }

    /** Whether bcrypt reads the whole password (at most {@value #MAX_BYTES} bytes in UTF-8). */
    public static boolean fits(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }

    /**
     * One bcrypt check of the password against a stored hash. A password too long for bcrypt never matches (nobody
     * could register it, and bcrypt would compare only its start), yet costs the same check.
     */
    public boolean matches(String password, String storedHash) {
        checks.increment();
        boolean fits = fits(password);
        return BcryptUtil.matches(fits ? password : "", storedHash) && fits;
    }

    /** The check for a handle nobody has: the same work as {@link #matches}, against the dummy hash, and always false. */
    public boolean matchesNoAccount(String password) {
        matches(password, dummyHash);
        return false;
    }

    /** The dummy hash, for tests that compare its algorithm and cost with a stored hash's. */
    String dummyHash() {
        return dummyHash;
    }
}
