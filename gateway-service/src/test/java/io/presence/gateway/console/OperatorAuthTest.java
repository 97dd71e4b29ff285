package io.presence.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.problem.ProblemException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Without a password there is no console: nothing else (no app secret) stands in for it. */
class OperatorAuthTest {

    private static ConsoleConfig config(boolean enabled, Optional<String> password) {
        return new ConsoleConfig() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public Optional<String> password() {
                return password;
            }

            @Override
            public Duration sessionTtl() {
                return Duration.ofHours(8);
            }

            @Override
            public Duration deviceTtl() {
                return Duration.ofDays(90);
            }

            @Override
            public Duration history() {
                return Duration.ofMinutes(10);
            }
        };
    }

    @Test
    void withoutAPasswordTheConsoleIsOff() {
        for (Optional<String> none : java.util.List.of(Optional.<String>empty(), Optional.of(""), Optional.of("   "))) {
            OperatorAuth auth = new OperatorAuth(config(true, none), null, null);
            assertFalse(auth.enabled(), "no password " + none);
            ProblemException off = assertThrows(ProblemException.class, auth::requireEnabled);
            assertEquals(404, off.type().status());
            assertNull(auth.sessionId("anything.at-all"), "no session can be valid");
        }
    }

    @Test
    void turnedOffItIsOffWhateverThePassword() {
        assertFalse(new OperatorAuth(config(false, Optional.of("a-password")), null, null).enabled());
        assertTrue(new OperatorAuth(config(true, Optional.of("a-password")), null, null).enabled());
    }
}
