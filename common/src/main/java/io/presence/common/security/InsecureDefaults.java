package io.presence.common.security;

import io.presence.common.internal.InternalAuthConfig;
import io.presence.common.pusher.PusherApp;
import io.presence.common.pusher.PusherConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.SmallRyeConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The one place that knows which settings must be real secrets: outside the dev and test profiles a service refuses
 * to start, with one line per setting, while the app secret is the development one, the operator console has no
 * password, or the internal service token is a development token. In dev and test the same lines are warnings.
 * {@code ./suite} runs the services in the dev profile, on loopback only.
 */
@ApplicationScoped
public class InsecureDefaults {

    private static final Logger LOG = Logger.getLogger(InsecureDefaults.class);

    /** The shortest internal token accepted outside development; every development token is shorter. */
    public static final int MIN_TOKEN_LENGTH = 32;

    /** How to make a real secret, as every refusal says. */
    private static final String HOW = "e.g. openssl rand -hex 32";

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, Config config, PusherConfig pusher,
               InternalAuthConfig internal, SecureDefaultsConfig security) {
        SmallRyeConfig smallRye = config.unwrap(SmallRyeConfig.class);
        List<String> findings = findings(smallRye, pusher, internal, security);
        if (findings.isEmpty()) {
            return;
        }
        if (isDevelopment(smallRye)) {
            findings.forEach(finding -> LOG.warnf("development settings in use: %s", finding));
            return;
        }
        findings.forEach(finding -> LOG.errorf("refusing to start: %s", finding));
        // a configuration error: Quarkus prints its message alone (no stack trace) and exits with 1
        throw new ConfigurationException("refusing to start: " + findings.size()
                + " setting(s) hold development values, each named above; the dev and test profiles alone allow them");
    }

    /** True in the dev and test profiles, where the development secrets are allowed. */
    public static boolean isDevelopment(SmallRyeConfig config) {
        return config.getProfiles().contains("dev") || config.getProfiles().contains("test");
    }

    /**
     * One line per insecure setting of this configuration, each naming the setting (empty: none). The console's
     * settings are read by name: only the gateway has them.
     */
    public static List<String> findings(Config config, PusherConfig pusher, InternalAuthConfig internal, SecureDefaultsConfig security) {
        List<String> findings = new ArrayList<>();
        if (security.usesAppSecrets()) {
            for (PusherApp app : pusher.apps()) {
                if (PusherConfig.DEVELOPMENT_SECRET.equals(app.secret())) {
                    findings.add(app.id().equals(pusher.appId())
                            ? "pusher.secret (PUSHER_SECRET) is the development secret '" + PusherConfig.DEVELOPMENT_SECRET
                                    + "', with which anyone can sign subscriptions and call the HTTP API; set a secret of your own (" + HOW + ")"
                            : "pusher.extra-apps (PUSHER_EXTRA_APPS) gives app " + app.id() + " the development secret '"
                                    + PusherConfig.DEVELOPMENT_SECRET + "'; set a secret of your own (" + HOW + ")");
                }
            }
        }
        // The console exists in the gateway only: elsewhere presence.console.enabled is not a setting at all.
        boolean console = config.getOptionalValue("presence.console.enabled", Boolean.class).orElse(false);
        Optional<String> consolePassword = config.getOptionalValue("presence.console.password", String.class).filter(p -> !p.isBlank());
        if (console && consolePassword.isEmpty()) {
            findings.add("presence.console.password (PRESENCE_CONSOLE_PASSWORD) is not set; set the operator console's password ("
                    + HOW + ") or turn the console off (PRESENCE_CONSOLE_ENABLED=false)");
        }
        Optional<String> token = internal.token().filter(t -> !t.isBlank());
        if (token.isPresent() && token.get().length() < MIN_TOKEN_LENGTH) {
            findings.add("internal.token (INTERNAL_TOKEN) is a development token (shorter than " + MIN_TOKEN_LENGTH
                    + " characters), which lets anyone who guesses it call /internal; set one of your own (" + HOW + ")");
        }
        return List.copyOf(findings);
    }
}
