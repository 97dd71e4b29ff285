package io.presence.gateway.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the operator console ({@code /console}) and its API ({@code /console/api}). */
@ConfigMapping(prefix = "presence.console")
public interface ConsoleConfig {

    /** Whether the console and its API are served at all; when off (or without a password) both answer 404. */
    @WithDefault("true")
    boolean enabled();

    /** The operator password (PRESENCE_CONSOLE_PASSWORD); without one the console is off (the dev and test profiles set one). */
    Optional<String> password();

    /** How long an operator stays logged in (unless the session is revoked first). */
    @WithDefault("8h")
    Duration sessionTtl();

    /** How long a browser that logged in is recognised at its next login (its own throttle budget, see OperatorAuth). */
    @WithDefault("90d")
    Duration deviceTtl();

    /** How far back the overview charts go (one sample every 2 s is kept for this long). */
    @WithDefault("10m")
    Duration history();
}
