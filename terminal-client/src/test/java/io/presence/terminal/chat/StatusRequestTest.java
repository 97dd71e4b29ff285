package io.presence.terminal.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusRequestTest {

    private static final ZonedDateTime NOON = ZonedDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneId.of("Europe/Berlin"));

    @Test
    void statusAndText() {
        StatusRequest request = StatusRequest.parse("busy lunch", NOON);
        assertEquals(new StatusRequest("busy", "lunch", null, null), request);
        assertEquals(Map.of("status", "busy", "text", "lunch"), request.body());
    }

    @Test
    void noTextClearsIt() {
        assertEquals(new StatusRequest("online", "", null, null), StatusRequest.parse("online", NOON));
        assertEquals(new StatusRequest("away", "", null, null), StatusRequest.parse("  AWAY  ", NOON));
    }

    @Test
    void expiryInMinutesHoursOrToday() {
        assertEquals(new StatusRequest("away", "out for lunch", 1800L, null), StatusRequest.parse("away out for lunch for 30m", NOON));
        assertEquals(new StatusRequest("busy", "", 3600L, null), StatusRequest.parse("busy for 1h", NOON));
        assertEquals(7200L, StatusRequest.parse("busy call for 2h", NOON).expiresIn());
        assertEquals(5400L, StatusRequest.parse("away for 90min", NOON).expiresIn());
        StatusRequest today = StatusRequest.parse("invisible for today", NOON);
        assertNull(today.expiresIn());
        assertEquals(ZonedDateTime.of(2026, 11, 25, 23, 59, 59, 999_000_000, NOON.getZone()).toInstant().toEpochMilli(),
                today.expiresAt());
        assertEquals(Map.of("status", "invisible", "text", "", "expiresAt", today.expiresAt()), today.body());
    }

    @Test
    void forWithoutADurationIsText() {
        assertEquals(new StatusRequest("busy", "waiting for you", null, null), StatusRequest.parse("busy waiting for you", NOON));
    }

    @Test
    void refusesWhatTheServerWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> StatusRequest.parse("", NOON));
        assertThrows(IllegalArgumentException.class, () -> StatusRequest.parse("sleepy", NOON));
        assertThrows(IllegalArgumentException.class, () -> StatusRequest.parse("away for 0m", NOON));
    }
}
