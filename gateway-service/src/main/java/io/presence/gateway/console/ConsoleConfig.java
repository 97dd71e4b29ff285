package io.presence.gateway.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the operator console ({@code /console}) and its API ({@code /console/api}). */
@ConfigMapping(prefix = "presence.console")
public interface ConsoleConfig {

    /** Whether the console and its API are served at all; when off both answer 404. */
    @WithDefault("true")
    boolean enabled();

    /** The operator password (PRESENCE_CONSOLE_PASSWORD); when unset, the main app's secret is the password. */
    Optional<String> password();

    /** How long an operator stays logged in. */
    @WithDefault("8h")
    Duration sessionTtl();

    /** How far back the overview charts go (one sample every 2 s is kept for this long). */
    @WithDefault("10m")
    Duration history();

    /** Failed logins accepted per minute on one gateway before further attempts are answered 429. */
    @WithDefault("10")
    int failedLoginsPerMinute();
}
