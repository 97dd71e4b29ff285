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

    /** Login throttling settings. */
    interface Login {

        /** Failed logins for one handle within the window before further attempts get 429. */
        @WithDefault("5")
        int maxFailuresPerHandle();

        /** Failed logins from one client address within the window before further attempts get 429. */
        @WithDefault("20")
        int maxFailuresPerAddress();

        /** The window failures are counted in, from the first failure. */
        @WithDefault("15m")
        Duration failureWindow();
    }
}
