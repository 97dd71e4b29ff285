package io.presence.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.pusher.PusherApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A minimal Pusher protocol client over the JDK WebSocket, light enough to open hundreds of. */
final class RawSocket {

    static final ObjectMapper JSON = new ObjectMapper();
    static final PusherApp APP = new PusherApp("app-id", "app-key", "app-secret");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
    private final WebSocket socket;
    final String socketId;

    RawSocket(int port) throws Exception {
        socket = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/app/app-key?protocol=7"),
                new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                frames.add(JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.complete(-1);
                    }
                }).get(10, TimeUnit.SECONDS);
        socketId = data(next("pusher:connection_established")).get("socket_id").asText();
    }

    void send(Object frame) throws Exception {
        socket.sendText(JSON.writeValueAsString(frame), true).get(5, TimeUnit.SECONDS);
    }

    /** Joins a presence channel as the user; returns the member count from subscription_succeeded. */
    int join(String channel, String userId) throws Exception {
        return data(joinFrame(channel, userId)).get("presence").get("count").asInt();
    }

    /** Joins a presence channel as the user (signed with the development app's secret); returns subscription_succeeded. */
    JsonNode joinFrame(String channel, String userId) throws Exception {
        String channelData = JSON.writeValueAsString(Map.of("user_id", userId, "user_info", Map.of("id", userId)));
        send(Map.of("event", "pusher:subscribe", "data", Map.of("channel", channel, "channel_data", channelData,
                "auth", APP.auth(PusherApp.presenceChannelText(socketId, channel, channelData)))));
        return next("pusher_internal:subscription_succeeded");
    }

    /** Subscribes with what an authorization endpoint answered ({@code auth}, and {@code channel_data} for presence). */
    void subscribe(String channel, JsonNode authorization) throws Exception {
        Map<String, Object> data = new java.util.HashMap<>();
        data.put("channel", channel);
        data.put("auth", authorization.path("auth").asText(""));
        if (authorization.has("channel_data")) {
            data.put("channel_data", authorization.get("channel_data").asText());
        }
        send(Map.of("event", "pusher:subscribe", "data", data));
    }

    /** Whether the server closed this socket (a client would reconnect). */
    boolean closedByServer() {
        return closed.isDone();
    }

    JsonNode next(String event) throws InterruptedException {
        return next(event, 10_000);
    }

    JsonNode next(String event, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            JsonNode frame = frames.poll(50, TimeUnit.MILLISECONDS);
            if (frame != null && frame.path("event").asText().equals(event)) {
                return frame;
            }
        }
        return null;
    }

    /** Every frame that arrives within the given time (and any already waiting), in order. */
    List<JsonNode> framesWithin(long millis) throws InterruptedException {
        List<JsonNode> received = new ArrayList<>();
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            JsonNode frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null) {
                received.add(frame);
            }
        }
        return received;
    }

    /** The user ids of up to {@code expected} frames of one event, within the time given, in order (duplicates kept). */
    List<String> userIdsOf(String event, int expected, long millis) throws InterruptedException {
        List<String> users = new ArrayList<>();
        long deadline = System.currentTimeMillis() + Math.max(0, millis);
        while (users.size() < expected && System.currentTimeMillis() < deadline) {
            JsonNode frame = next(event, Math.max(1, deadline - System.currentTimeMillis()));
            if (frame != null) {
                users.add(data(frame).get("user_id").asText());
            }
        }
        return users;
    }

    static JsonNode data(JsonNode frame) {
        try {
            return JSON.readTree(frame.get("data").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
