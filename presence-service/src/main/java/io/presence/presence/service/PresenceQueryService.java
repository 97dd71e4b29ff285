package io.presence.presence.service;

import io.presence.presence.repository.UserPresenceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/** Answers "is this user online, with which status, and when were they last seen?". */
@ApplicationScoped
public class PresenceQueryService {

    private final UserPresenceRepository repository;

    public PresenceQueryService(UserPresenceRepository repository) {
        this.repository = repository;
    }

    public UserPresence user(String userId) {
        return view(userId, repository.state(userId), Instant.now());
    }

    /** Applies the visibility rules to a raw state: expired statuses fall back to online, invisible looks offline. */
    static UserPresence view(String userId, Map<String, String> state, Instant now) {
        Instant lastSeen = epochMillis(state.get("lastSeen"));
        boolean connected = parseLong(state.get("connections")) > 0;
        Status status = Status.parse(state.get("status")).orElse(Status.ONLINE);
        String text = state.get("text");
        Instant expiresAt = epochMillis(state.get("expiresAt"));
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            status = Status.ONLINE;
            text = null;
        }
        if (!connected || status == Status.INVISIBLE) {
            return new UserPresence(userId, false, "offline", null, lastSeen);
        }
        return new UserPresence(userId, true, status.wire(), text, lastSeen);
    }

    private static Instant epochMillis(String value) {
        long millis = parseLong(value);
        return millis > 0 ? Instant.ofEpochMilli(millis) : null;
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
