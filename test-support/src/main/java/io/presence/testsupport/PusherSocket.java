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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw Pusher protocol 7 client over the JDK WebSocket that speaks frames by hand, to check exactly what a gateway
 * sends; light enough to open hundreds of. Signs with the development app ({@link #APP}). Frames are read strictly in
 * order, none skipped, and silence is never waited for: that nothing (more) came is shown by a marker sent after it on
 * the same ordered path, and every frame before the marker ({@link #framesUntil}, {@link #expect}).
 */
public class PusherSocket implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final PusherApp APP = new PusherApp("app-id", "app-key", "app-secret");
    /** The path of the development app with protocol 7. */
    public static final String APP_PATH = "/app/app-key?protocol=7&client=test&version=1";
    /** Sent to public and private channels when their subscriber count changes, throttled: often {@link #ignore}d. */
    public static final String SUBSCRIPTION_COUNT = "pusher_internal:subscription_count";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** How long anything that must arrive may take: generous, for a busy machine; only a failing test waits it out. */
    private static final long WAIT_MILLIS = 30_000;

    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final Set<String> ignored = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;
    private String socketId;
    /** The app whose secret signs this socket's subscriptions and sign-ins. */
    private PusherApp app = APP;
    /** Whether it answers pusher:ping with pusher:pong by itself, as pusher-js does (the pings are not kept). */
    private volatile boolean answersPings;
    /** Once cut: every frame is dropped unread and no ping answered, as when the network loses them. */
    private volatile boolean cut;
    /** Held while a frame is sent. */
    private final Object sending = new Object();
    /** Pings answered so far. */
    private final java.util.concurrent.atomic.AtomicInteger pongs = new java.util.concurrent.atomic.AtomicInteger();
    /** Channel events received so far, and how many of them a ping answered since came after. */
    private final java.util.concurrent.atomic.AtomicInteger channelEvents = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger acknowledgedEvents = new java.util.concurrent.atomic.AtomicInteger();

    /** Opens the socket; nothing is read yet (see {@link #readEstablished()}). */
    protected PusherSocket(URI uri) {
        this(uri, false);
    }

    /** Opens the socket, answering pings by itself or not; nothing is read yet. */
    protected PusherSocket(URI uri, boolean answersPings) {
        this.answersPings = answersPings;
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofMillis(WAIT_MILLIS))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                JsonNode frame = JSON.readTree(partial.toString());
                                if (cut) {
                                    // lost on the way
                                } else if (answersPings && "pusher:ping".equals(event(frame))) {
                                    acknowledgedEvents.set(channelEvents.get());
                                    synchronized (sending) {
                                        ws.sendText("{\"event\":\"pusher:pong\",\"data\":{}}", true).join();
                                    }
                                    pongs.incrementAndGet();
                                } else {
                                    if (frame.has("channel") && !event(frame).startsWith("pusher")) {
                                        channelEvents.incrementAndGet();
                                    }
                                    if (!ignored.contains(event(frame))) {
                                        frames.add(frame);
                                    }
                                }
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
                }).orTimeout(WAIT_MILLIS, TimeUnit.MILLISECONDS).join();
    }

    /** Connected to an app with protocol 7 (signing with its secret), connection_established already read. */
    public static PusherSocket connect(int port, PusherApp app) throws InterruptedException {
        PusherSocket socket = raw(port, "/app/" + app.key() + "?protocol=7&client=test&version=1");
        socket.app = app;
        return socket.readEstablished();
    }

    /** A socket to any path of the server at this local port, nothing read yet. */
    public static PusherSocket raw(int port, String pathAndQuery) {
        return new PusherSocket(localUri(port, pathAndQuery));
    }

    /**
     * A resumable socket of the development app ({@code /c/<clientId>/app/<key>}) that answers pings as pusher-js
     * does, connection_established already read.
     */
    public static PusherSocket resumable(int port, String clientId) throws InterruptedException {
        return resumable(port, APP, clientId);
    }

    /** A resumable socket of an app that answers pings as pusher-js does, connection_established already read. */
    public static PusherSocket resumable(int port, PusherApp app, String clientId) throws InterruptedException {
        PusherSocket socket = new PusherSocket(localUri(port, "/c/" + clientId + "/app/" + app.key() + "?protocol=7&client=test&version=1"),
                true);
        socket.app = app;
        return socket.readEstablished();
    }

    /** A new random client id for {@link #resumable} (128 bits, URL-safe). */
    public static String newClientId() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Waits until the server knows this resumable socket read every channel event it received: a ping came after the
     * last one and was answered, and the server answered a ping of ours sent after that pong (so it processed it).
     */
    public void awaitReceipt() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (acknowledgedEvents.get() < channelEvents.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no receipt ping after " + channelEvents.get() + " channel events (" + acknowledgedEvents.get() + " acknowledged)");
            }
            Thread.sleep(5);
        }
        send("{\"event\":\"pusher:ping\",\"data\":{}}");
        next("pusher:pong");
    }

    /** Pings answered so far (a resumable socket's receipts). */
    public int pongs() {
        return pongs.get();
    }

    /**
     * Cuts the network under this socket: from now on everything the server sends is lost and no ping is answered;
     * then {@link #abort()} drops the connection without a close handshake, as a dead network does in the end.
     */
    public void cutNetwork() {
        cut = true;
    }

    /** Drops the TCP connection at once, without a WebSocket close. */
    public void abort() {
        socket.abort();
    }

    /** Connected to the development app with protocol 7, connection_established already read. */
    public static PusherSocket connect(int port) throws InterruptedException {
        return raw(port, APP_PATH).readEstablished();
    }

    /** The WebSocket address of a path on the server at this local port. */
    protected static URI localUri(int port, String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    }

    /** Reads connection_established and keeps the socket id it names. */
    protected <S extends PusherSocket> S readEstablished() throws InterruptedException {
        JsonNode established = next("pusher:connection_established");
        socketId = data(established).get("socket_id").asText();
        @SuppressWarnings("unchecked")
        S self = (S) this;
        return self;
    }

    /** The socket id that connection_established named. */
    public String socketId() {
        return socketId;
    }

    /** Drops every later frame with this event: one a test does not check that comes at times of its own. */
    public PusherSocket ignore(String event) {
        ignored.add(event);
        return this;
    }

    /** Completes with the close code when the socket closes (-1 after an error). */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    /** Whether the server closed this socket (a client would reconnect). */
    public boolean closedByServer() {
        return closeCode.isDone();
    }

    /** The close code, once the socket closed; fails after 30 s. */
    public int awaitClose() throws Exception {
        return closeCode.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Sends a frame as it is. */
    public void send(String frame) {
        synchronized (sending) { // one send at a time (the WebSocket refuses a second while one is pending)
            socket.sendText(frame, true).orTimeout(WAIT_MILLIS, TimeUnit.MILLISECONDS).join();
        }
    }

    /** Sends a frame with this event and data (encoded as JSON). */
    public void send(String event, Object data) throws Exception {
        send(JSON.writeValueAsString(Map.of("event", event, "data", data)));
    }

    /** The next frame, whatever its event; fails after 30 s. */
    public JsonNode next() throws InterruptedException {
        return next(WAIT_MILLIS);
    }

    /** The next frame, whatever its event; fails after {@code millis} (a ceiling for what must come, never a wait for silence). */
    public JsonNode next(long millis) throws InterruptedException {
        JsonNode frame = frames.poll(millis, TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + millis + " ms"
                    + (closeCode.isDone() ? ", closed with " + closeCode.join() : ""));
        }
        assertTrue(frame.get("data") == null || frame.get("data").isTextual(), "server data is always a string: " + frame);
        return frame;
    }

    /** The next frame, which must have this event (nothing is skipped). */
    public JsonNode next(String event) throws InterruptedException {
        return expect(event).get(0);
    }

    /** The next frames, which must have exactly these events in this order; with a marker last, a barrier. */
    public List<JsonNode> expect(String... events) throws InterruptedException {
        List<JsonNode> received = new ArrayList<>();
        for (String event : events) {
            JsonNode frame = next();
            received.add(frame);
            assertEquals(event, event(frame), "frames so far: " + received);
        }
        return received;
    }

    /** Every frame up to and including the first marker, in order, for a check of all that came before it. */
    public List<JsonNode> framesUntil(Predicate<JsonNode> marker) throws InterruptedException {
        List<JsonNode> received = new ArrayList<>();
        while (received.isEmpty() || !marker.test(received.get(received.size() - 1))) {
            received.add(next());
        }
        return received;
    }

    /** Every frame up to and including the first one with this event. */
    public List<JsonNode> framesUntil(String event) throws InterruptedException {
        return framesUntil(frame -> event(frame).equals(event));
    }

    /** The event of a frame. */
    public static String event(JsonNode frame) {
        return frame.path("event").asText();
    }

    /** The data of a frame, which the protocol sends as a JSON string. */
    public static JsonNode data(JsonNode frame) {
        try {
            return JSON.readTree(frame.get("data").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Subscribes to a public channel and reads its subscription_succeeded. */
    public void subscribePublic(String channel) throws Exception {
        send("pusher:subscribe", Map.of("channel", channel, "auth", ""));
        assertEquals(channel, next("pusher_internal:subscription_succeeded").get("channel").asText());
    }

    /** Subscribes to a private channel, signed by this socket's app, and reads its subscription_succeeded. */
    public void subscribePrivate(String channel) throws Exception {
        send("pusher:subscribe", Map.of("channel", channel,
                "auth", app.auth(PusherApp.privateChannelText(socketId, channel))));
        assertEquals(channel, next("pusher_internal:subscription_succeeded").get("channel").asText());
    }

    /** Subscribes to a presence channel as the user, signed by this socket's app; returns subscription_succeeded. */
    public JsonNode subscribePresence(String channel, String userId, Map<String, ?> userInfo) throws Exception {
        String channelData = JSON.writeValueAsString(Map.of("user_id", userId, "user_info", userInfo));
        send("pusher:subscribe", Map.of("channel", channel, "channel_data", channelData,
                "auth", app.auth(PusherApp.presenceChannelText(socketId, channel, channelData))));
        return next("pusher_internal:subscription_succeeded");
    }

    /** Joins a presence channel as the user; returns the presence part of subscription_succeeded. */
    public JsonNode joinPresence(String channel, String userId, String name) throws Exception {
        JsonNode ok = subscribePresence(channel, userId, Map.of("id", userId, "name", name));
        JsonNode presence = data(ok).get("presence");
        assertNotNull(presence, ok.toString());
        return presence;
    }

    /** Signs in as the user (pusher:signin, signed by this socket's app); reads signin_success and the (empty) watchlist. */
    public void signIn(String userId) throws Exception {
        String userData = "{\"id\":\"" + userId + "\"}";
        send("pusher:signin", Map.of("user_data", userData, "auth", app.auth(PusherApp.userSignInText(socketId, userData))));
        expect("pusher:signin_success", "pusher_internal:watchlist_events");
    }

    /** Closes the socket normally unless it is closed already. */
    @Override
    public void close() {
        if (!closeCode.isDone() && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
        }
    }
}
