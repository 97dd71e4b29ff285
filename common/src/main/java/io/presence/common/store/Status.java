package io.presence.common.store;

import java.util.Locale;
import java.util.Optional;

/** The statuses a user can choose; {@code INVISIBLE} looks offline to everyone else. */
public enum Status {
    ONLINE, AWAY, BUSY, INVISIBLE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Status> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Status s : values()) {
            if (s.wire().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
