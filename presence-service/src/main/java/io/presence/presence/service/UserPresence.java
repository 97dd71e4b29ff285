package io.presence.presence.service;

import java.time.Instant;

/**
 * What others may know of a user's presence.
 *
 * @param userId   the user
 * @param online   true when the user has a live connection and is not invisible
 * @param status   online, away or busy while online; offline otherwise
 * @param text     the status text, when online
 * @param lastSeen when the user's last connection closed, if ever
 */
public record UserPresence(String userId, boolean online, String status, String text, Instant lastSeen) {

    /**
     * What a user looks like to someone who may not see them: offline, never seen. A user who does not exist, one who
     * never connected, one who blocked the caller and one the visibility policy hides all answer exactly this.
     */
    public static UserPresence unknown(String userId) {
        return new UserPresence(userId, false, "offline", null, null);
    }
}
