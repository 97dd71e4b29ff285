package io.presence.common.webhook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.pusher.Webhooks;
import java.util.UUID;

/**
 * One webhook event of one app, as Pusher sends it ({@code {"name": ..., "channel": ..., ...}}), with an id that
 * makes queueing it idempotent and the time it happened.
 *
 * @param id         unique per event; a retried enqueue keeps it, so the sender recognises a second copy
 * @param appId      the app whose receivers get it
 * @param event      the event object of the webhook body's {@code events} list
 * @param atMs       when it was queued (epoch ms, the queueing process's clock)
 * @param transition for member_added / member_removed / channel_occupied / channel_vacated, when Redis decided it and
 *                   which departure an arrival follows; {@link Transition#NONE} for the other kinds
 */
public record Webhook(String id, String appId, ObjectNode event, long atMs, Transition transition) {

    /**
     * When a presence or occupancy transition was decided, on the Redis server's clock in microseconds (one clock
     * for every transition of a channel, whichever gateway asked), and for an arrival the time of the departure it
     * ends (0 when none is remembered). The sender pairs a departure with the arrival that names it.
     */
    public record Transition(long at, long follows) {

        /** Not a transition (or queued by a version that did not record it). */
        public static final Transition NONE = new Transition(0, 0);
    }

    public String name() {
        return event.path("name").asText();
    }

    public String channel() {
        return event.path("channel").asText();
    }

    /** The member of a member_added / member_removed, else empty. */
    public String userId() {
        return event.path("user_id").asText("");
    }

    private static Webhook of(String appId, ObjectNode event) {
        return of(appId, event, Transition.NONE);
    }

    private static Webhook of(String appId, ObjectNode event, Transition transition) {
        return new Webhook(UUID.randomUUID().toString(), appId, event, System.currentTimeMillis(), transition);
    }

    private static ObjectNode event(String name, String channel) {
        return JsonNodeFactory.instance.objectNode().put("name", name).put("channel", channel);
    }

    public static Webhook channelOccupied(String appId, String channel, Transition transition) {
        return of(appId, event(Webhooks.CHANNEL_OCCUPIED, channel), transition);
    }

    public static Webhook channelVacated(String appId, String channel, Transition transition) {
        return of(appId, event(Webhooks.CHANNEL_VACATED, channel), transition);
    }

    public static Webhook memberAdded(String appId, String channel, String userId, Transition transition) {
        return of(appId, event(Webhooks.MEMBER_ADDED, channel).put("user_id", userId), transition);
    }

    public static Webhook memberRemoved(String appId, String channel, String userId, Transition transition) {
        return of(appId, event(Webhooks.MEMBER_REMOVED, channel).put("user_id", userId), transition);
    }

    /** A client event: its name and data as sent, the sending socket, and on presence channels the sender's user id. */
    public static Webhook clientEvent(String appId, String channel, String eventName, String data, String socketId, String userId) {
        ObjectNode event = event(Webhooks.CLIENT_EVENT, channel).put("event", eventName).put("data", data).put("socket_id", socketId);
        if (userId != null) {
            event.put("user_id", userId);
        }
        return of(appId, event);
    }

    public static Webhook cacheMiss(String appId, String channel) {
        return of(appId, event(Webhooks.CACHE_MISS, channel));
    }

    public static Webhook subscriptionCount(String appId, String channel, int count) {
        return of(appId, event(Webhooks.SUBSCRIPTION_COUNT, channel).put("subscription_count", count));
    }
}
