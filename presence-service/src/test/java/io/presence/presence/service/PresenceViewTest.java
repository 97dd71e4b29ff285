package io.presence.presence.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.presence.UserPresenceStore.Snapshot;
import io.presence.common.store.UserStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceViewTest {

    private static final long NOW = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();

    private static UserPresence view(int connections, Map<String, String> state) {
        UserStatus status = UserStatus.fromState(state).effective(NOW);
        long lastSeen = state.containsKey("lastSeen") ? Long.parseLong(state.get("lastSeen")) : 0;
        return PresenceService.view(new Snapshot("u", connections, status, lastSeen));
    }

    @Test
    void anExpiredStatusFallsBackToOnline() {
        UserPresence p = view(1, Map.of("status", "away", "text", "lunch", "expiresAt", Long.toString(NOW - 1000)));
        assertTrue(p.online());
        assertEquals("online", p.status());
        assertNull(p.text());
    }

    @Test
    void aStatusNotYetExpiredHolds() {
        UserPresence p = view(1, Map.of("status", "away", "expiresAt", Long.toString(NOW + 60_000)));
        assertEquals("away", p.status());
    }

    @Test
    void invisibleLooksOfflineAndHidesTheText() {
        UserPresence p = view(3, Map.of("status", "invisible", "text", "secret", "lastSeen", "1700000000000"));
        assertFalse(p.online());
        assertEquals("offline", p.status());
        assertNull(p.text());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), p.lastSeen());
    }

    @Test
    void garbageInTheStoreNeverBreaksTheAnswer() {
        UserPresence p = view(0, Map.of("status", "dancing", "expiresAt", "soon"));
        assertFalse(p.online());
        assertNull(p.lastSeen());
        assertEquals("online", UserStatus.fromState(Map.of("status", "dancing")).status().wire());
    }
}
