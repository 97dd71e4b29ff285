package io.presence.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.testsupport.PusherSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

    /** The next frame with this event within the given time; null when none came. */
    JsonNode next(String event, long millis) throws InterruptedException {
        return poll(event, millis);
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

    /**
     * Every frame up to and including the first with this event, in order, waiting up to {@link #WAIT}: with a marker
     * sent after something on the same ordered path, what came before it is everything that thing produced.
     */
    List<JsonNode> framesUntil(String event) throws InterruptedException {
        List<JsonNode> received = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames().poll(100, TimeUnit.MILLISECONDS);
            if (frame != null) {
                received.add(frame);
                if (frame.path("event").asText().equals(event)) {
                    return received;
                }
            }
        }
        throw new AssertionError("no " + event + " within " + WAIT.toSeconds() + " s; got " + received);
    }

    /** The frames before this marker event (which is read too), in order. */
    List<JsonNode> framesBefore(String marker) throws InterruptedException {
        List<JsonNode> received = framesUntil(marker);
        return received.subList(0, received.size() - 1);
    }

    /** The user ids of up to {@code expected} frames of one event, within the time given, in order (duplicates kept). */
    List<String> userIdsOf(String event, int expected, long millis) throws InterruptedException {
        List<String> users = new ArrayList<>();
        long deadline = System.currentTimeMillis() + Math.max(0, millis);
        while (users.size() < expected && System.currentTimeMillis() < deadline) {
            JsonNode frame = poll(event, Math.max(1, deadline - System.currentTimeMillis()));
            if (frame != null) {
                users.add(data(frame).get("user_id").asText());
            }
        }
        return users;
    }
}
