package io.presence.presence.rest;

import io.presence.common.store.UserStatus;
import java.time.Instant;

/** A user's stored status after a change: status, text (null for none) and expiry (null for never). */
public record StatusView(String status, String text, Instant expiresAt) {

    static StatusView of(UserStatus s) {
        return new StatusView(s.status().wire(), s.text().isEmpty() ? null : s.text(),
                s.expiresAt() == 0 ? null : Instant.ofEpochMilli(s.expiresAt()));
    }
}
