package io.presence.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.internal.InternalAuthConfig;
import io.presence.common.pusher.PusherConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 26, point 1: outside dev and test every insecure default is refused with a line naming its setting, one test
 * per default; a gateway-like service (the console exists) is configured as the operator would, by environment.
 */
class InsecureDefaultsTest {

    /** Real secrets for everything a gateway holds. */
    private static final Map<String, String> SECURE = Map.of(
            "PUSHER_SECRET", "8d1f0c3a9e7b44f2a61c5d0e93b7a2f4",
            "PRESENCE_CONSOLE_ENABLED", "true",
            "PRESENCE_CONSOLE_PASSWORD", "c0ns0le-9e7b44f2a61c5d0e93b7a2f4",
            "INTERNAL_TOKEN", "2b7e151628aed2a6abf7158809cf4f3c2b7e1516");

    private static SmallRyeConfig config(String profile, Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withMapping(PusherConfig.class).withMapping(InternalAuthConfig.class).withMapping(SecureDefaultsConfig.class)
                .withProfile(profile)
                .withSources(new EnvConfigSource(env, 300)).build();
    }

    /** The secure settings with one changed (null: removed). */
    private static Map<String, String> secureWith(String name, String value) {
        Map<String, String> env = new HashMap<>(SECURE);
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return env;
    }

    /** The check as a service configured this way runs it. */
    private static List<String> findings(SmallRyeConfig config) {
        return InsecureDefaults.findings(config, config.getConfigMapping(PusherConfig.class), config.getConfigMapping(InternalAuthConfig.class),
                config.getConfigMapping(SecureDefaultsConfig.class));
    }

    private static String onlyFinding(Map<String, String> env) {
        List<String> findings = findings(config("prod", env));
        assertEquals(1, findings.size(), findings.toString());
        return findings.get(0);
    }

    @Test
    void realSecretsPass() {
        assertEquals(List.of(), findings(config("prod", SECURE)));
        assertFalse(InsecureDefaults.isDevelopment(config("prod", SECURE)));
    }

    @Test
    void theDevelopmentAppSecretIsRefusedWhetherSetOrLeftToItsDefault() {
        assertTrue(onlyFinding(secureWith("PUSHER_SECRET", null)).startsWith("pusher.secret (PUSHER_SECRET) is the development secret 'app-secret'"));
        assertTrue(onlyFinding(secureWith("PUSHER_SECRET", "app-secret")).startsWith("pusher.secret (PUSHER_SECRET)"));
        Map<String, String> extra = secureWith("PUSHER_EXTRA_APPS", "shop:shop-key:app-secret");
        assertTrue(onlyFinding(extra).startsWith("pusher.extra-apps (PUSHER_EXTRA_APPS) gives app shop the development secret"));
        // a service that never signs with the app secret (message-service) is not asked for one
        assertEquals(List.of(), findings(config("prod", Map.of("PRESENCE_SECURITY_USES_APP_SECRETS", "false"))));
    }

    @Test
    void anUnsetConsolePasswordIsRefusedWhereTheConsoleIsOn() {
        assertTrue(onlyFinding(secureWith("PRESENCE_CONSOLE_PASSWORD", null)).startsWith("presence.console.password (PRESENCE_CONSOLE_PASSWORD) is not set"));
        assertTrue(onlyFinding(secureWith("PRESENCE_CONSOLE_PASSWORD", "  ")).startsWith("presence.console.password"));
        // turned off, or in a service without a console, there is nothing to protect
        Map<String, String> off = secureWith("PRESENCE_CONSOLE_PASSWORD", null);
        off.put("PRESENCE_CONSOLE_ENABLED", "false");
        assertEquals(List.of(), findings(config("prod", off)));
        Map<String, String> backend = secureWith("PRESENCE_CONSOLE_PASSWORD", null);
        backend.remove("PRESENCE_CONSOLE_ENABLED");
        assertEquals(List.of(), findings(config("prod", backend)));
    }

    @Test
    void aDevelopmentInternalTokenIsRefused() {
        for (String development : List.of("dev-internal-token", "test-internal-token", "presence-dev-internal-token",
                "compose-dev-internal-token", "x".repeat(InsecureDefaults.MIN_TOKEN_LENGTH - 1))) {
            assertTrue(onlyFinding(secureWith("INTERNAL_TOKEN", development)).startsWith("internal.token (INTERNAL_TOKEN) is a development token"),
                    development);
        }
        // none at all is not a default that opens anything: /internal then refuses every call
        assertEquals(List.of(), findings(config("prod", secureWith("INTERNAL_TOKEN", null))));
    }

    @Test
    void everyFindingIsReportedAtOnceAndTheDevAndTestProfilesAllowThem() {
        Map<String, String> development = Map.of("PRESENCE_CONSOLE_ENABLED", "true", "INTERNAL_TOKEN", "dev-internal-token");
        assertEquals(3, findings(config("prod", development)).size());
        assertTrue(InsecureDefaults.isDevelopment(config("dev", development)));
        assertTrue(InsecureDefaults.isDevelopment(config("test", development)));
        assertFalse(InsecureDefaults.isDevelopment(config("staging", development)));
    }
}
