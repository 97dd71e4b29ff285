package io.presence.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.presence.PresenceSchema;
import jakarta.enterprise.context.ApplicationScoped;

/** Builds the frames the server sends: {@code {event, channel?, data}} with {@code data} always a JSON string. */
@ApplicationScoped
public class Frames {

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

    /** {@code pusher_internal:member_added}: the user's first connection joined. */
    public String memberAdded(String channel, io.presence.gateway.presence.Member member) {
        ObjectNode data = json.createObjectNode();
        data.put("user_id", member.userId());
        data.set("user_info", member.userInfo());
        return event("pusher_internal:member_added", channel, data);
    }

    /** {@code pusher_internal:member_removed}: the user's last connection left. */
    public String memberRemoved(String channel, String userId) {
        return PresenceSchema.memberRemovedFrame(channel, userId);
    }

    public ObjectMapper json() {
        return json;
    }

    private String encode(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
