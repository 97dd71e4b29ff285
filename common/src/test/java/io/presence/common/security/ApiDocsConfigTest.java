package io.presence.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 26, point 6: Swagger UI and the OpenAPI description are off in production unless a setting turns them on,
 * as every service reads common's META-INF/microprofile-config.properties.
 */
class ApiDocsConfigTest {

    private static SmallRyeConfig config(String profile, Map<String, String> env) {
        return new SmallRyeConfigBuilder().addDefaultSources().addDiscoveredInterceptors().withProfile(profile)
                .withSources(new EnvConfigSource(env, 300)).build();
    }

    private static void assertDocs(boolean expected, SmallRyeConfig config) {
        assertEquals(expected, config.getValue("quarkus.swagger-ui.enabled", Boolean.class), "Swagger UI");
        assertEquals(expected, config.getValue("quarkus.smallrye-openapi.enabled", Boolean.class), "OpenAPI");
    }

    @Test
    void offInProductionOnInDevAndTest() {
        assertDocs(false, config("prod", Map.of()));
        assertDocs(true, config("dev", Map.of()));
        assertDocs(true, config("test", Map.of()));
    }

    @Test
    void oneSettingTurnsThemOnInProduction() {
        assertDocs(true, config("prod", Map.of("PRESENCE_API_DOCS_ENABLED", "true")));
    }
}
