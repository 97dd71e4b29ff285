package io.presence.gateway.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.event.ChannelEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Builds the frames the server sends: {@code {event, channel?, data}} with {@code data} always a JSON string. */
@ApplicationScoped
public class Frames {

    /** Our extension: events of the channel were lost and cannot be replayed; clients reload what they show. */
    public static final String EVENTS_MISSED = "pusher:events_missed";

    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

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

    /**
     * {@code subscription_succeeded} of a presence channel: ids, hash and count of the members given (user id to
     * user_info as JSON), in order. Written as text from the members' stored JSON: a join storm sends one such list
     * per joining socket, so it is not built as a tree and serialised each time.
     */
    public String presenceSubscribed(String channel, Map<String, String> members) {
        StringBuilder data = new StringBuilder(48 + members.size() * 64);
        data.append("{\"presence\":{\"ids\":[");
        boolean first = true;
        for (String user : members.keySet()) {
            data.append(first ? "" : ",").append('"').append(QUOTE.quoteAsString(user)).append('"');
            first = false;
        }
        data.append("],\"hash\":{");
        first = true;
        for (Map.Entry<String, String> member : members.entrySet()) {
            data.append(first ? "" : ",").append('"').append(QUOTE.quoteAsString(member.getKey())).append("\":").append(member.getValue());
            first = false;
        }
        data.append("},\"count\":").append(members.size()).append("}}");
        return eventWithRawData("pusher_internal:subscription_succeeded", channel, data.toString());
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
