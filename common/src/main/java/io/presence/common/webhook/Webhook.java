package io.presence.common.webhook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.pusher.Webhooks;
import java.util.UUID;

/**
 * One webhook event of one app, as Pusher sends it ({@code {"name": ..., "channel": ..., ...}}), with an id that
 * makes queueing it idempotent and the time it happened.
 *
 * @param id    unique per event; a retried enqueue keeps it, so the sender recognises a second copy
 * @param appId the app whose receivers get it
 * @param event the event object of the webhook body's {@code events} list
 * @param atMs  when it happened (epoch ms)
 */
public record Webhook(String id, String appId, ObjectNode event, long atMs) {

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
        return new Webhook(UUID.randomUUID().toString(), appId, event, System.currentTimeMillis());
    }

    private static ObjectNode event(String name, String channel) {
        return JsonNodeFactory.instance.objectNode().put("name", name).put("channel", channel);
    }

    public static Webhook channelOccupied(String appId, String channel) {
        return of(appId, event(Webhooks.CHANNEL_OCCUPIED, channel));
    }

    public static Webhook channelVacated(String appId, String channel) {
        return of(appId, event(Webhooks.CHANNEL_VACATED, channel));
    }

    public static Webhook memberAdded(String appId, String channel, String userId) {
        return of(appId, event(Webhooks.MEMBER_ADDED, channel).put("user_id", userId));
    }

    public static Webhook memberRemoved(String appId, String channel, String userId) {
        return of(appId, event(Webhooks.MEMBER_REMOVED, channel).put("user_id", userId));
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
