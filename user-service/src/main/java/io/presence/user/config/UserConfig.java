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

        /** The longest a session lives from its login, however often it is used; then its user logs in again. */
        @WithDefault("30d")
        Duration lifetime();

        /**
         * Sockets one session may authorize (channel subscriptions and sign-ins, each socket counted once) over its
         * life; they are remembered so that ending the session closes them. Beyond it: 403, log in again.
         */
        @WithDefault("1000")
        int maxSockets();

        /**
         * How often sessions that authorized sockets are checked for expiry; an expired one is ended and its
         * sockets closed, as at logout (a session found expired on use is ended at once).
         */
        @WithDefault("15s")
        Duration sweepInterval();

        /** Name of the session cookie. */
        @WithDefault("presence_session")
        String cookieName();

        /**
         * Mark the cookie Secure (sent over HTTPS only; browsers also send it to http://localhost). On by default,
         * off in the dev and test profiles; turn off only to serve the page over plain HTTP to another host.
         */
        @WithDefault("true")
        boolean cookieSecure();
    }

    /**
     * Login throttling settings (see LoginThrottle). Every attempt is counted before its password is checked and
     * counts as a failure unless it succeeds; addresses are counted by IPv4 address or IPv6 /64. The per-address and
     * per-handle limits never stop an address the account logged in from, on that account's handle, so nobody can
     * lock a user out by guessing their password.
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

        /**
         * Failed logins from one client address within the window before it gets 429 for every handle but those it
         * logged in to before.
         */
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
