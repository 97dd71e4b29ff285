package io.presence.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one presence subscriber was told, replayed: its {@code subscription_succeeded} list, then every
 * member_added, member_removed and member_updated in the order received. Any event that tells the subscriber
 * nothing new (an added member it already had, a removal of one it did not have, an update that changes nothing)
 * is recorded as a duplicate.
 */
final class PresenceReplay {

    final Map<String, JsonNode> members = new LinkedHashMap<>();
    final List<String> duplicates = new ArrayList<>();
    int added;
    int removed;
    int updated;
    boolean subscribed;

    /** Replays every presence frame of the queue (other frames are skipped), removing them from it. */
    static PresenceReplay of(Iterable<JsonNode> frames) {
        PresenceReplay replay = new PresenceReplay();
        for (Iterator<JsonNode> it = frames.iterator(); it.hasNext(); ) {
            replay.apply(it.next());
        }
        return replay;
    }

    void apply(JsonNode frame) {
        String event = frame.path("event").asText();
        if (!event.equals("pusher_internal:subscription_succeeded") && !event.startsWith("pusher_internal:member_")
                && !event.equals("pusher:member_updated")) {
            return;
        }
        JsonNode data = RawSocket.data(frame);
        switch (event) {
            case "pusher_internal:subscription_succeeded" -> {
                if (subscribed) {
                    duplicates.add("a second subscription_succeeded");
                }
                subscribed = true;
                data.get("presence").get("hash").fields().forEachRemaining(e -> members.put(e.getKey(), e.getValue()));
            }
            case "pusher_internal:member_added" -> {
                added++;
                if (members.put(data.get("user_id").asText(), data.get("user_info")) != null) {
                    duplicates.add("added again: " + data);
                }
            }
            case "pusher_internal:member_removed" -> {
                removed++;
                if (members.remove(data.get("user_id").asText()) == null) {
                    duplicates.add("removed but not there: " + data);
                }
            }
            default -> {
                updated++;
                JsonNode before = members.get(data.get("user_id").asText());
                if (before == null) {
                    duplicates.add("updated but not there: " + data);
                } else if (before.equals(data.get("user_info"))) {
                    duplicates.add("updated to the same: " + data);
                }
                members.put(data.get("user_id").asText(), data.get("user_info"));
            }
        }
    }

    /** user id -> status, as this subscriber sees the channel now. */
    Map<String, String> statuses() {
        Map<String, String> statuses = new LinkedHashMap<>();
        members.forEach((id, info) -> statuses.put(id, info.path("status").asText("")));
        return statuses;
    }
}
