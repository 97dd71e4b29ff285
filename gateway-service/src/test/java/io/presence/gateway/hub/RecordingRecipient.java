package io.presence.gateway.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.store.MemberState;
import java.util.ArrayList;
import java.util.List;

/** A subscriber for the hub's part tests: keeps every frame it is sent and every self state it observes. */
class RecordingRecipient implements Recipient {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String id;
    final List<Frame> frames = new ArrayList<>();
    final List<String> observed = new ArrayList<>();

    RecordingRecipient(String id) {
        this.id = id;
    }

    @Override
    public String socketId() {
        return id;
    }

    @Override
    public void send(Frame frame) {
        frames.add(frame);
    }

    @Override
    public void observedSelf(String userId, MemberState state) {
        observed.add(userId);
    }

    /** "event data" of each frame received, the data as its text. */
    List<String> events() {
        return frames.stream().map(f -> read(f.text())).map(n -> n.get("event").asText() + " " + n.get("data").asText()).toList();
    }

    /** "event user_id" of each member frame received. */
    List<String> members() {
        return frames.stream().map(f -> read(f.text())).map(n -> n.get("event").asText() + " " + read(n.get("data").asText()).get("user_id").asText()).toList();
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
