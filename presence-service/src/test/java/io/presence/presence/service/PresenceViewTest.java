package io.presence.presence.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceViewTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void anExpiredStatusFallsBackToOnline() {
        UserPresence p = PresenceQueryService.view("u", Map.of("connections", "1", "status", "away", "text", "lunch",
                "expiresAt", Long.toString(NOW.minusSeconds(1).toEpochMilli())), NOW);
        assertTrue(p.online());
        assertEquals("online", p.status());
        assertNull(p.text());
    }

    @Test
    void aStatusNotYetExpiredHolds() {
        UserPresence p = PresenceQueryService.view("u", Map.of("connections", "1", "status", "away",
                "expiresAt", Long.toString(NOW.plusSeconds(60).toEpochMilli())), NOW);
        assertEquals("away", p.status());
    }

    @Test
    void invisibleLooksOfflineAndHidesTheText() {
        UserPresence p = PresenceQueryService.view("u", Map.of("connections", "3", "status", "invisible", "text", "secret"), NOW);
        assertFalse(p.online());
        assertEquals("offline", p.status());
        assertNull(p.text());
    }

    @Test
    void garbageInTheStoreNeverBreaksTheAnswer() {
        UserPresence p = PresenceQueryService.view("u", Map.of("connections", "x", "status", "dancing", "lastSeen", "-"), NOW);
        assertFalse(p.online());
        assertNull(p.lastSeen());
    }
}
