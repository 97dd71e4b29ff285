package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.pusher.PusherApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw WebSocket client speaking frames by hand, to check exactly what the gateway sends. */
final class TestSocket implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final PusherApp APP = new PusherApp("app-id", "app-key", "app-secret");

    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;
    String socketId;

    private TestSocket(URI uri) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
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
                        closeCode.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closeCode.complete(-1);
                    }
                }).join();
    }

    static TestSocket raw(int port, String pathAndQuery) {
        return new TestSocket(URI.create("ws://127.0.0.1:" + port + pathAndQuery));
    }

    /** Connected to the development app with protocol 7, connection_established already read. */
    static TestSocket connect(int port) throws Exception {
        TestSocket s = raw(port, "/app/app-key?protocol=7&client=test&version=1");
        JsonNode established = s.next("pusher:connection_established");
        s.socketId = s.data(established).get("socket_id").asText();
        return s;
    }

    void send(String frame) {
        socket.sendText(frame, true).join();
    }

    void send(String event, Object data) throws Exception {
        send(JSON.writeValueAsString(java.util.Map.of("event", event, "data", data)));
    }

    /** The next frame with this event, skipping others; fails after 5 s. */
    JsonNode next(String event) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && frame.path("event").asText().equals(event)) {
                assertTrue(frame.get("data") == null || frame.get("data").isTextual(), "server data is always a string: " + frame);
                return frame;
            }
        }
        throw new AssertionError("no " + event + " within 5 s");
    }

    /** Asserts no frame with this event arrives within the given time. */
    void expectNo(String event, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null && frame.path("event").asText().equals(event)) {
                throw new AssertionError("unexpected " + frame);
            }
        }
    }

    /** Asserts no frame with this event about this user (data.user_id) arrives within the given time. */
    void expectNoAbout(String event, String userId, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null && frame.path("event").asText().equals(event) && data(frame).path("user_id").asText().equals(userId)) {
                throw new AssertionError("unexpected " + frame);
            }
        }
    }

    /** Every frame that arrives within the given time, in order (for exact counts). */
    java.util.List<JsonNode> framesWithin(long millis) throws InterruptedException {
        java.util.List<JsonNode> received = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null) {
                received.add(frame);
            }
        }
        return received;
    }

    JsonNode data(JsonNode frame) {
        try {
            return JSON.readTree(frame.get("data").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void subscribePublic(String channel) throws Exception {
        send("pusher:subscribe", java.util.Map.of("channel", channel, "auth", ""));
        assertEquals(channel, next("pusher_internal:subscription_succeeded").get("channel").asText());
    }

    void subscribePrivate(String channel) throws Exception {
        send("pusher:subscribe", java.util.Map.of("channel", channel,
                "auth", APP.auth(PusherApp.privateChannelText(socketId, channel))));
        assertEquals(channel, next("pusher_internal:subscription_succeeded").get("channel").asText());
    }

    /** Joins a presence channel as the user; returns the presence part of subscription_succeeded. */
    JsonNode joinPresence(String channel, String userId, String name) throws Exception {
        String channelData = JSON.writeValueAsString(java.util.Map.of("user_id", userId,
                "user_info", java.util.Map.of("id", userId, "name", name)));
        send("pusher:subscribe", java.util.Map.of("channel", channel, "channel_data", channelData,
                "auth", APP.auth(PusherApp.presenceChannelText(socketId, channel, channelData))));
        JsonNode ok = next("pusher_internal:subscription_succeeded");
        JsonNode presence = data(ok).get("presence");
        assertNotNull(presence, ok.toString());
        return presence;
    }

    int awaitClose() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!closeCode.isDone() && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }
}
