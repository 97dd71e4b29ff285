package io.presence.gateway.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.event.ChannelEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Builds the frames the server sends: {@code {event, channel?, data}} with {@code data} always a JSON string. */
@ApplicationScoped
public class Frames {

    /** Our extension: events of the channel were lost and cannot be replayed; clients reload what they show. */
    public static final String EVENTS_MISSED = "pusher:events_missed";

    private final ObjectMapper json;

    public Frames(ObjectMapper json) {
        this.json = json;
    }

    /** A frame whose data is the given value encoded as JSON, then carried as a string. */
    public String event(String event, String channel, Object data) {
        return eventWithRawData(event, channel, encode(data));
    }

    /** A frame whose data is already a string (client and HTTP API events carry their payload as given). */
    public String eventWithRawData(String event, String channel, String data) {
        ObjectNode frame = json.createObjectNode();
        frame.put("event", event);
        if (channel != null) {
            frame.put("channel", channel);
        }
        frame.put("data", data);
        return encode(frame);
    }

    /** A channel event as subscribers get it; client events on presence channels carry the sender's {@code user_id}. */
    public String channelEvent(String channel, ChannelEvent event) {
        ObjectNode frame = json.createObjectNode().put("event", event.name()).put("channel", channel).put("data", event.data());
        if (event.userId() != null) {
            frame.put("user_id", event.userId());
        }
        return encode(frame);
    }

    /** {@code pusher:error}; code may be null for errors that have no Pusher code. */
    public String error(Integer code, String message) {
        ObjectNode data = json.createObjectNode();
        if (code == null) {
            data.putNull("code");
        } else {
            data.put("code", code);
        }
        data.put("message", message);
        return event("pusher:error", null, data);
    }

    /** {@code pusher:subscription_error}; the socket stays open. */
    public String subscriptionError(String channel, String type, String error, int status) {
        ObjectNode data = json.createObjectNode();
        data.put("type", type);
        data.put("error", error);
        data.put("status", status);
        return event("pusher:subscription_error", channel, data);
    }

    /** {@code subscription_succeeded} of a channel that is not a presence channel. */
    public String subscribed(String channel) {
        return eventWithRawData("pusher_internal:subscription_succeeded", channel, "{}");
    }

    /** {@code subscription_succeeded} of a presence channel: ids, hash and count of the members given, in order. */
    public String presenceSubscribed(String channel, Map<String, JsonNode> members) {
        ObjectNode data = json.createObjectNode();
        ObjectNode presence = data.putObject("presence");
        ArrayNode ids = presence.putArray("ids");
        ObjectNode hash = presence.putObject("hash");
        members.forEach((user, info) -> {
            ids.add(user);
            hash.set(user, info);
        });
        presence.put("count", members.size());
        return event("pusher_internal:subscription_succeeded", channel, data);
    }

    /** {@code pusher_internal:member_added}: the member appeared to this subscriber. */
    public String memberAdded(String channel, String userId, JsonNode userInfo) {
        return memberFrame("pusher_internal:member_added", channel, userId, userInfo);
    }

    /** {@code pusher_internal:member_removed}: the member disappeared for this subscriber. */
    public String memberRemoved(String channel, String userId) {
        return event("pusher_internal:member_removed", channel, json.createObjectNode().put("user_id", userId));
    }

    /** {@code pusher:member_updated}: the member's user_info (status) changed; clients bind it like any event. */
    public String memberUpdated(String channel, String userId, JsonNode userInfo) {
        return memberFrame("pusher:member_updated", channel, userId, userInfo);
    }

    /** {@code pusher:cache_miss}: a cache channel had no event to give a new subscriber. */
    public String cacheMiss(String channel) {
        return eventWithRawData("pusher:cache_miss", channel, "{}");
    }

    /** {@link #EVENTS_MISSED}: stored events after {@code afterSeq} could not all be replayed. */
    public String eventsMissed(String channel, long afterSeq, long upToSeq) {
        return event(EVENTS_MISSED, channel, json.createObjectNode().put("after", afterSeq).put("up_to", upToSeq));
    }

    public ObjectMapper json() {
        return json;
    }

    private String memberFrame(String event, String channel, String userId, JsonNode userInfo) {
        ObjectNode data = json.createObjectNode();
        data.put("user_id", userId);
        data.set("user_info", userInfo);
        return event(event, channel, data);
    }

    private String encode(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
