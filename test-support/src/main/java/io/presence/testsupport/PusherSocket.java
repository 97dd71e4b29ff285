package io.presence.testsupport;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw Pusher protocol 7 client over the JDK WebSocket that speaks frames by hand, to check exactly what a gateway
 * sends; light enough to open hundreds of. Signs with the development app ({@link #APP}).
 */
public class PusherSocket implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final PusherApp APP = new PusherApp("app-id", "app-key", "app-secret");
    /** The path of the development app with protocol 7. */
    public static final String APP_PATH = "/app/app-key?protocol=7&client=test&version=1";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long WAIT_MILLIS = 10_000;

    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;
    private String socketId;

    /** Opens the socket; nothing is read yet (see {@link #readEstablished()}). */
    protected PusherSocket(URI uri) {
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
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
                }).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** A socket to any path of the server at this local port, nothing read yet. */
    public static PusherSocket raw(int port, String pathAndQuery) {
        return new PusherSocket(localUri(port, pathAndQuery));
    }

    /** Connected to the development app with protocol 7, connection_established already read. */
    public static PusherSocket connect(int port) throws InterruptedException {
        return raw(port, APP_PATH).readEstablished();
    }

    protected static URI localUri(int port, String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    }

    /** Reads connection_established and keeps the socket id it names. */
    protected <S extends PusherSocket> S readEstablished() throws InterruptedException {
        JsonNode established = next("pusher:connection_established");
        assertNotNull(established, "no connection_established");
        socketId = data(established).get("socket_id").asText();
        @SuppressWarnings("unchecked")
        S self = (S) this;
        return self;
    }

    public String socketId() {
        return socketId;
    }

    /** Every frame received and not yet taken, oldest first. */
    public BlockingQueue<JsonNode> frames() {
        return frames;
    }

    /** Completes with the close code when the socket closes (-1 after an error). */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    /** Whether the server closed this socket (a client would reconnect). */
    public boolean closedByServer() {
        return closeCode.isDone();
    }

    public int awaitClose() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS);
    }

    /** Sends a frame as it is. */
    public void send(String frame) {
        socket.sendText(frame, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** Sends a frame with this event and data (encoded as JSON). */
    public void send(String event, Object data) throws Exception {
        send(JSON.writeValueAsString(Map.of("event", event, "data", data)));
    }

    /** The next frame with this event, skipping others; fails after 10 s. */
    public JsonNode next(String event) throws InterruptedException {
        JsonNode frame = poll(event, WAIT_MILLIS);
        if (frame == null) {
            throw new AssertionError("no " + event + " within " + WAIT_MILLIS + " ms");
        }
        return frame;
    }

    /** The next frame with this event within the given time, skipping others; null when none came. */
    public JsonNode poll(String event, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null && frame.path("event").asText().equals(event)) {
                assertTrue(frame.get("data") == null || frame.get("data").isTextual(), "server data is always a string: " + frame);
                return frame;
            }
        }
        return null;
    }

    /** Asserts no frame with this event arrives within the given time. */
    public void expectNo(String event, long millis) throws InterruptedException {
        expectNone(event, null, millis);
    }

    /** Asserts no frame with this event about this user (data.user_id) arrives within the given time. */
    public void expectNoAbout(String event, String userId, long millis) throws InterruptedException {
        expectNone(event, userId, millis);
    }

    private void expectNone(String event, String userId, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null && frame.path("event").asText().equals(event)
                    && (userId == null || data(frame).path("user_id").asText().equals(userId))) {
                throw new AssertionError("unexpected " + frame);
            }
        }
    }

    /** Every frame that arrives within the given time (and any already waiting), in order, for exact counts. */
    public List<JsonNode> framesWithin(long millis) throws InterruptedException {
        List<JsonNode> received = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null) {
                received.add(frame);
            }
        }
        return received;
    }

    /** The data of a frame, which the protocol sends as a JSON string. */
    public static JsonNode data(JsonNode frame) {
        try {
            return JSON.readTree(frame.get("data").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void subscribePublic(String channel) throws Exception {
        send("pusher:subscribe", Map.of("channel", channel, "auth", ""));
        assertEquals(channel, next("pusher_internal:subscription_succeeded").get("channel").asText());
    }

    public void subscribePrivate(String channel) throws Exception {
        send("pusher:subscribe", Map.of("channel", channel,
                "auth", APP.auth(PusherApp.privateChannelText(socketId, channel))));
        assertEquals(channel, next("pusher_internal:subscription_succeeded").get("channel").asText());
    }

    /** Subscribes to a presence channel as the user, signed by the development app; returns subscription_succeeded. */
    public JsonNode subscribePresence(String channel, String userId, Map<String, ?> userInfo) throws Exception {
        String channelData = JSON.writeValueAsString(Map.of("user_id", userId, "user_info", userInfo));
        send("pusher:subscribe", Map.of("channel", channel, "channel_data", channelData,
                "auth", APP.auth(PusherApp.presenceChannelText(socketId, channel, channelData))));
        return next("pusher_internal:subscription_succeeded");
    }

    /** Joins a presence channel as the user; returns the presence part of subscription_succeeded. */
    public JsonNode joinPresence(String channel, String userId, String name) throws Exception {
        JsonNode ok = subscribePresence(channel, userId, Map.of("id", userId, "name", name));
        JsonNode presence = data(ok).get("presence");
        assertNotNull(presence, ok.toString());
        return presence;
    }

    /** Signs in as the user (pusher:signin, signed by the development app). */
    public void signIn(String userId) throws Exception {
        String userData = "{\"id\":\"" + userId + "\"}";
        send("pusher:signin", Map.of("user_data", userData, "auth", APP.auth(PusherApp.userSignInText(socketId, userData))));
        next("pusher:signin_success");
    }

    @Override
    public void close() {
        if (!closeCode.isDone() && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
        }
    }
}
