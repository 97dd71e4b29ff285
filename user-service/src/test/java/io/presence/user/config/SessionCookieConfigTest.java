package io.presence.user.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The session settings each profile gets from user-service's application.properties, without starting the service. */
class SessionCookieConfigTest {

    private static UserConfig.Session session(String profile) throws IOException {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(SessionCookieConfigTest.class.getResource("/application.properties")))
                .withDefaultValue("quarkus.uuid", "unit")
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's "7d", "15m"
                .withMapping(UserConfig.class)
                .withValidateUnknown(false);
        if (profile != null) {
            builder.withProfile(profile);
        }
        SmallRyeConfig config = builder.build();
        return config.getConfigMapping(UserConfig.class).session();
    }

    @Test
    void theCookieIsSecureInProductionAndNotInDevelopmentOrTests() throws IOException {
        assertTrue(session(null).cookieSecure(), "prod (no profile): Secure");
        assertTrue(session("prod").cookieSecure(), "prod: Secure");
        assertFalse(session("dev").cookieSecure(), "dev: plain HTTP on localhost");
        assertFalse(session("test").cookieSecure(), "test: plain HTTP clients");
    }

    @Test
    void sessionsHaveAnAbsoluteLifetimeBesidesTheSlidingTtl() throws IOException {
        assertEquals(Duration.ofDays(30), session(null).lifetime());
        assertEquals(Duration.ofDays(7), session(null).ttl());
        assertEquals(1000, session(null).maxSockets());
    }
}
