package io.presence.user.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Typed settings of user-service; every key can be set by environment variable (e.g. USERS_SESSION_TTL). */
@ConfigMapping(prefix = "users")
public interface UserConfig {

    /** First segment of every Redis key this service writes (sessions, login throttling). */
    @WithDefault("users")
    String keyPrefix();

    /** Password hashing. */
    Password password();

    /** Login sessions. */
    Session session();

    /** Login throttling. */
    Login login();

    /** Password hashing settings. */
    interface Password {

        /** bcrypt cost factor (log2 of the rounds); 10 takes ~50-100 ms per hash on a laptop core. */
        @WithDefault("10")
        int bcryptCost();
    }

    /** Session settings. */
    interface Session {

        /** How long a session lives without being used; every use starts the period again. */
        @WithDefault("7d")
        Duration ttl();

        /** Name of the session cookie. */
        @WithDefault("presence_session")
        String cookieName();

        /** Mark the cookie Secure (sent over HTTPS only); turn on wherever the suite is served over TLS. */
        @WithDefault("false")
        boolean cookieSecure();
    }

    /**
     * Login throttling settings. Failures are counted per client address, per handle and address, and per handle;
     * the per-handle limit only stops addresses the account has not logged in from, so nobody can lock a user out
     * by guessing their password.
     */
    interface Login {

        /** Failed logins for one handle from one client address within the window before that address gets 429 for it. */
        @WithDefault("5")
        int maxFailuresPerHandleAndAddress();

        /**
         * Failed logins for one handle from all addresses within the window before only the addresses its account
         * logged in from (within known-address-ttl) may still try; the others get 429.
         */
        @WithDefault("50")
        int maxFailuresPerHandle();

        /** Failed logins from one client address within the window before further attempts get 429. */
        @WithDefault("20")
        int maxFailuresPerAddress();

        /** The window failures are counted in, from the first failure. */
        @WithDefault("15m")
        Duration failureWindow();

        /** How long an address stays known to an account after a successful login from it. */
        @WithDefault("30d")
        Duration knownAddressTtl();
    }
}
