package io.presence.common.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The one rule of whether a status hides its user from the world, and that the Lua scripts leave it to Java. */
class StatusVisibilityTest {

    private static final long AN_HOUR_ON = 1_700_000_000_000L;

    @Test
    void onlyAnInvisibleStatusHidesAndUntilItExpires() {
        assertEquals(0, StatusVisibility.hiddenUntil(UserStatus.DEFAULT));
        assertEquals(0, StatusVisibility.hiddenUntil(new UserStatus(Status.AWAY, "lunch", AN_HOUR_ON)), "an expiry alone hides nothing");
        assertEquals(0, StatusVisibility.hiddenUntil(new UserStatus(Status.BUSY, "", 0)));
        assertEquals(StatusVisibility.FOREVER, StatusVisibility.hiddenUntil(new UserStatus(Status.INVISIBLE, "", 0)));
        assertEquals(AN_HOUR_ON, StatusVisibility.hiddenUntil(new UserStatus(Status.INVISIBLE, "gone", AN_HOUR_ON)));
        assertTrue(StatusVisibility.hides(new UserStatus(Status.INVISIBLE, "gone", AN_HOUR_ON)));
        assertFalse(StatusVisibility.hides(new UserStatus(Status.ONLINE, "", AN_HOUR_ON)));
    }

    @Test
    void anExpiredInvisibleStatusNoLongerHidesWhatIsInEffect() {
        UserStatus hidden = new UserStatus(Status.INVISIBLE, "", AN_HOUR_ON);
        assertTrue(StatusVisibility.hides(hidden.effective(AN_HOUR_ON - 1)));
        assertFalse(StatusVisibility.hides(hidden.effective(AN_HOUR_ON)), "in effect after its expiry: the default");
    }

    @Test
    void theStoredDecisionNamesTheVersionItWasMadeFor() {
        assertEquals("-1:7", StatusVisibility.decision(new UserStatus(Status.INVISIBLE, "", 0), 7));
        assertEquals("0:8", StatusVisibility.decision(
                "{\"status\":\"busy\",\"text\":\"\",\"expiresAt\":0,\"v\":8}"));
        assertEquals(AN_HOUR_ON + ":9", StatusVisibility.decision(
                Map.of("status", "invisible", "expiresAt", Long.toString(AN_HOUR_ON), "v", "9", "text", "")));
    }

    @Test
    void aScriptIsRunAgainWithTheDecisionItAskedForAndAtMostThreeTimes() {
        List<String> hints = new ArrayList<>();
        Function<String, Uni<Response>> script = hint -> {
            hints.add(hint);
            return Uni.createFrom().nullItem();
        };
        int rounds = StatusVisibility.untilDecided(script, reply -> hints.size(), round -> round == 1 ? "-1:5" : null)
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(2, rounds);
        assertEquals(List.of("", "-1:5"), hints);

        hints.clear();
        Uni<Integer> never = StatusVisibility.untilDecided(script, reply -> hints.size(), round -> "0:" + round);
        assertThrows(IllegalStateException.class, () -> never.await().atMost(Duration.ofSeconds(10)));
        assertEquals(List.of("", "0:1", "0:2"), hints, "three rounds, then the call fails");
    }

    @Test
    void noLuaScriptReadsAStatus() throws IOException {
        List<String> offending = new ArrayList<>();
        int scripts = 0;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/redis"))) {
            for (Path script : files.filter(f -> f.toString().endsWith(".lua")).toList()) {
                scripts++;
                String text = Files.readString(script);
                for (Status status : Status.values()) {
                    if (text.contains("'" + status.wire() + "'") || text.contains("\"" + status.wire() + "\"")) {
                        offending.add(script.getFileName() + " names " + status.wire());
                    }
                }
                if (text.contains(Status.INVISIBLE.wire())) {
                    offending.add(script.getFileName() + " mentions " + Status.INVISIBLE.wire());
                }
                if (text.contains(").status")) {
                    offending.add(script.getFileName() + " reads a status JSON's status");
                }
            }
        }
        assertTrue(scripts >= 20, "the scripts were found: " + scripts);
        assertEquals(List.of(), offending);
    }
}
