package io.presence.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.testsupport.PusherSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The shared raw Pusher client as the system tests use it: on a gateway's development app, with their shortcuts. */
final class RawSocket extends PusherSocket {

    /** How long something that must arrive may take on a loaded machine. */
    static final Duration WAIT = Duration.ofSeconds(30);

    RawSocket(int port) throws Exception {
        super(localUri(port, "/app/app-key?protocol=7"));
        readEstablished();
    }

    /** Sends a frame given as an object (encoded as JSON). */
    void send(Object frame) throws Exception {
        send(JSON.writeValueAsString(frame));
    }

    /**
     * The first frame with this event, skipping what comes before it: for "it arrives" where other traffic may come
     * first and is checked elsewhere (exact checks read every frame, with {@link #framesBefore(String)}).
     */
    JsonNode skipTo(String event) throws InterruptedException {
        List<JsonNode> frames = framesUntil(event);
        return frames.get(frames.size() - 1);
    }

    /** Joins a presence channel as the user; returns the member count from subscription_succeeded. */
    int join(String channel, String userId) throws Exception {
        return data(joinFrame(channel, userId)).get("presence").get("count").asInt();
    }

    /** Joins a presence channel as the user (signed with the development app's secret); returns subscription_succeeded. */
    JsonNode joinFrame(String channel, String userId) throws Exception {
        return subscribePresence(channel, userId, Map.of("id", userId));
    }

    /** Subscribes with what an authorization endpoint answered ({@code auth}, and {@code channel_data} for presence). */
    void subscribe(String channel, JsonNode authorization) throws Exception {
        Map<String, Object> data = new HashMap<>();
        data.put("channel", channel);
        data.put("auth", authorization.path("auth").asText(""));
        if (authorization.has("channel_data")) {
            data.put("channel_data", authorization.get("channel_data").asText());
        }
        send("pusher:subscribe", data);
    }

    /** The frames before this marker event (which is read too), in order. */
    List<JsonNode> framesBefore(String marker) throws InterruptedException {
        return framesBefore(this, marker);
    }

    /** The frames a socket (of any app) got before this marker event (which is read too), in order. */
    static List<JsonNode> framesBefore(PusherSocket socket, String marker) throws InterruptedException {
        List<JsonNode> received = socket.framesUntil(marker);
        return received.subList(0, received.size() - 1);
    }

    /**
     * Every frame up to the one that makes {@code count} frames of this event, in order (each one, whatever its event,
     * for an exact check); fails when they have not all come within {@code millis} (a ceiling).
     */
    List<JsonNode> framesUntilCount(String event, int count, long millis) throws InterruptedException {
        List<JsonNode> frames = new ArrayList<>();
        long deadline = System.currentTimeMillis() + millis;
        for (int seen = 0; seen < count; ) {
            JsonNode frame = next(Math.max(1, deadline - System.currentTimeMillis()));
            frames.add(frame);
            if (event(frame).equals(event)) {
                seen++;
            }
        }
        return frames;
    }

    /** The user ids (data.user_id) of the frames of one event among these, in order, duplicates kept. */
    static List<String> userIdsOf(List<JsonNode> frames, String event) {
        return frames.stream().filter(f -> event(f).equals(event)).map(f -> data(f).path("user_id").asText()).toList();
    }

    /** The member frames among these, as "event user", in order. */
    static List<String> memberEvents(List<JsonNode> frames) {
        return frames.stream().filter(f -> event(f).contains("member")).map(f -> event(f) + " " + data(f).path("user_id").asText()).toList();
    }
}
