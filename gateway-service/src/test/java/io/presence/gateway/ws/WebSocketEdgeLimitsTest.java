package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventPublisher;
import io.presence.common.pusher.PusherApp;
import io.presence.gateway.GatewayTestResources;
import io.presence.gateway.Markers;
import io.presence.testsupport.PusherSocket;
import io.presence.testsupport.WireSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 26: the gateway's limits before authentication (sockets per node and per address, handshakes per address, the
 * first-subscription and handshake timeouts) and its budgets per socket (subscribe frames, client events), each at its
 * limit and one over. Small limits of its own (a Quarkus start of its own); every test connects from loopback addresses
 * of its own (127.0.0.0/8 is all this machine), so one test's counts never meet another's.
 */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
@TestProfile(WebSocketEdgeLimitsTest.SmallLimits.class)
class WebSocketEdgeLimitsTest {

    static final int NODE = 6;
    static final int PER_ADDRESS = 3;
    static final int HANDSHAKES = 5;
    static final int SUBSCRIBE_FRAMES = 5;
    static final int CLIENT_EVENTS = 4;
    /** Far above what the answers of a client that does not read ever reach (see below), so only a stalled subscriber meets it. */
    static final int MAX_PENDING_BYTES = 8 * 1024 * 1024;

    /** Small limits; the windows an hour long, so nothing is given back while a test runs. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("gateway.websocket.max-connections", Integer.toString(NODE)),
                    Map.entry("gateway.websocket.max-connections-per-address", Integer.toString(PER_ADDRESS)),
                    Map.entry("gateway.websocket.handshake-limit", Integer.toString(HANDSHAKES)),
                    Map.entry("gateway.websocket.handshake-per", "1h"),
                    Map.entry("gateway.websocket.first-subscription-timeout", "2s"),
                    Map.entry("gateway.websocket.subscribe-limit", Integer.toString(SUBSCRIBE_FRAMES)),
                    Map.entry("gateway.websocket.subscribe-per", "1h"),
                    Map.entry("gateway.websocket.client-event-limit", Integer.toString(CLIENT_EVENTS)),
                    Map.entry("gateway.websocket.client-event-per", "1h"),
                    Map.entry("gateway.websocket.max-pending-bytes", Integer.toString(MAX_PENDING_BYTES)),
                    Map.entry("quarkus.http.idle-timeout", "2s"),
                    // as behind an Ingress: X-Forwarded-For counts from 127.0.0.2 (the "Ingress") alone
                    Map.entry("quarkus.http.proxy.proxy-address-forwarding", "true"),
                    Map.entry("quarkus.http.proxy.allow-x-forwarded", "true"),
                    Map.entry("quarkus.http.proxy.trusted-proxies", "127.0.0.2"));
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    Admission admission;

    @Inject
    MeterRegistry registry;

    @Inject
    Markers markers;

    @Inject
    Connections connections;

    @Inject
    EventPublisher publisher;

    private final List<WireSocket> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (WireSocket s : opened) {
            s.close();
        }
        opened.clear();
        Awaitility.await().atMost(Markers.WAIT).until(() -> admission.open() == 0);
    }

    @Test
    void anAddressHoldsItsCapAndOneMoreIsClosedWith4100WhileAnotherAddressGetsIn() throws Exception {
        double before = refusals("maxConnectionsPerAddress");
        for (int i = 0; i < PER_ADDRESS; i++) {
            joined("127.0.0.11");
        }
        assertOverCapacity(open("127.0.0.11"), "your address has " + PER_ADDRESS);
        assertEquals(before + 1, refusals("maxConnectionsPerAddress"));
        joined("127.0.0.12");
    }

    @Test
    void behindATrustedProxyTheForwardedAddressIsCountedAndFromAnyoneElseItIsIgnored() throws Exception {
        for (int i = 0; i < PER_ADDRESS; i++) {
            joined("127.0.0.2", "203.0.113.7");
        }
        assertOverCapacity(open("127.0.0.2", "203.0.113.7"), "your address has " + PER_ADDRESS);
        joined("127.0.0.2", "203.0.113.8"); // another client behind the same proxy
        closeAll(); // within the node's cap of 6
        // an untrusted peer cannot pick the address it is counted under
        for (int i = 0; i < PER_ADDRESS; i++) {
            joined("127.0.0.19", "198.51.100." + i);
        }
        assertOverCapacity(open("127.0.0.19", "198.51.100.99"), "your address has " + PER_ADDRESS);
    }

    @Test
    void anAddressMakesItsHandshakesAndOneMoreIsClosedWith4100() throws Exception {
        double before = refusals("handshakeLimit");
        for (int i = 0; i < HANDSHAKES; i++) {
            try (WireSocket s = WireSocket.connect("127.0.0.13", port)) {
                s.send("{\"event\":\"pusher:ping\",\"data\":{}}");
                s.next("pusher:pong");
            }
            // closed before the next one, so the address's count of open sockets (3) plays no part
            Awaitility.await().atMost(Markers.WAIT).until(() -> admission.open() == 0);
        }
        assertOverCapacity(open("127.0.0.13"), "more than " + HANDSHAKES + " connections from your address");
        assertEquals(before + 1, refusals("handshakeLimit"));
    }

    @Test
    void theNodeHoldsItsCapAndOneMoreIsClosedWith4100() throws Exception {
        double before = refusals("maxConnections");
        for (int i = 0; i < NODE; i++) {
            joined("127.0.1." + (i + 1)); // one per address: the node's cap, not an address's
        }
        assertOverCapacity(open("127.0.1.100"), "this server has " + NODE);
        assertEquals(before + 1, refusals("maxConnections"));
        opened.remove(0).close();
        Awaitility.await().atMost(Markers.WAIT).until(() -> admission.open() == NODE - 1);
        joined("127.0.1.101");
    }

    @Test
    void aSocketWithoutSubscriptionIsClosedWith4202AndOneThatSubscribedStays() throws Exception {
        WireSocket member = joined("127.0.0.14");
        long start = System.nanoTime();
        WireSocket idle = open("127.0.0.14");
        idle.next("pusher:connection_established");
        assertEquals(4202, idle.awaitClose(), idle.closeReason());
        long waited = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("first-subscription timeout 2 s: closed after %d ms%n", waited);
        assertTrue(waited >= 2_000, "never before the timeout: " + waited + " ms");
        // the member, older than the idle socket, is still served
        member.send("{\"event\":\"pusher:ping\",\"data\":{}}");
        member.next("pusher:pong");
    }

    @Test
    void aConnectionThatDoesNotCompleteItsHandshakeIsClosed() throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.0.15", 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout((int) Markers.WAIT.toMillis());
            long start = System.nanoTime();
            socket.getOutputStream().write("GET /app/app-key?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "closed without an answer");
            long waited = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("handshake (HTTP idle) timeout 2 s: closed after %d ms%n", waited);
            assertTrue(waited >= 2_000, "never before the timeout: " + waited + " ms");
        }
    }

    @Test
    void subscribeAndUnsubscribeFramesHaveABudgetPerSocket() throws Exception {
        double before = refusals("subscribeLimit");
        WireSocket s = open("127.0.0.16");
        s.next("pusher:connection_established");
        String kept = "public-budget-" + UUID.randomUUID();
        String left = "public-budget-" + UUID.randomUUID();
        // five frames, at the limit: both kinds count
        s.send(subscribe("subscribe", kept));
        s.send(subscribe("subscribe", left));
        s.send(subscribe("unsubscribe", left));
        s.send(subscribe("subscribe", "public-budget-" + UUID.randomUUID()));
        s.send(subscribe("subscribe", "public-budget-" + UUID.randomUUID()));
        s.send(subscribe("unsubscribe", kept)); // one over
        s.send("{\"event\":\"pusher:ping\",\"data\":{}}");
        List<JsonNode> frames = framesUntilPong(s);
        List<String> errors = frames.stream().map(PusherSocket::event).filter(e -> e.startsWith("pusher:")).toList();
        assertEquals(List.of("pusher:error"), errors, frames.toString());
        JsonNode refused = frames.stream().filter(f -> PusherSocket.event(f).equals("pusher:error")).findFirst().orElseThrow();
        assertEquals(4301, PusherSocket.data(refused).get("code").asInt(), refused.toString());
        assertEquals(before + 1, refusals("subscribeLimit"));
        // the refused unsubscribe left the subscription in place: a marker on the channel still arrives
        if (frames.stream().noneMatch(f -> succeeded(f, kept))) {
            JsonNode next;
            do {
                next = s.next("pusher_internal:subscription_succeeded");
            } while (!succeeded(next, kept));
        }
        s.next(markers.publish(kept));
    }

    @Test
    void aClientThatDoesNotReadItsAnswersIsNoLongerRead() throws Exception {
        WireSocket s = joined("127.0.0.20");
        Awaitility.await().atMost(Markers.WAIT).until(() -> connections.all().size() == 1);
        Channel server = connections.all().iterator().next().channelContext().channel();
        // pings, a thousand to a write, far more than the kernel's buffers hold: the answers would pile up
        byte[] ping = "{\"event\":\"pusher:ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream thousand = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            thousand.write(new byte[] {(byte) 0x81, (byte) (0x80 | ping.length), 0, 0, 0, 0});
            thousand.write(ping);
        }
        int writes = 500;
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < writes; i++) {
                    s.sendRaw(thousand.toByteArray());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // the gateway stops reading once the answers fill its write buffer; they are bounded then
        Awaitility.await().atMost(Markers.WAIT).until(() -> !server.config().isAutoRead());
        long pending = server.unsafe().outboundBuffer() == null ? 0 : server.unsafe().outboundBuffer().totalPendingWriteBytes();
        System.out.printf("answers waiting in the gateway for a client that does not read: %d bytes%n", pending);
        // bounded: far below the 19 MB all the answers make, and below the cut (what was decoded before reading stopped,
        // up to a read loop's 1 MiB or so and what the outbox had queued, may still be written after it stopped)
        assertTrue(pending <= MAX_PENDING_BYTES / 2, pending + " bytes wait for a client that does not read");
        double cutBefore = refusals("maxPendingBytes");
        // once the client reads, every ping is answered
        int pongs = 0;
        String text;
        while (pongs < writes * 1000 && (text = s.next()) != null) {
            if (text.contains("pusher:pong")) {
                pongs++;
            }
        }
        sent.get(Markers.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(cutBefore, refusals("maxPendingBytes"), "the client was cut for not reading instead of being read less");
        assertEquals(writes * 1000, pongs, "the answers ended early: close " + s.closeCode() + " " + s.closeReason()
                + " (pending " + pendingNow(server) + " bytes, reading " + server.config().isAutoRead() + ", open " + server.isOpen() + ")");
    }

    @Test
    void aSubscriberThatStopsReadingIsCutOnceTooMuchWaitsForItAndTheOthersGetEveryEvent() throws Exception {
        double before = refusals("maxPendingBytes");
        String channel = "public-slow-" + UUID.randomUUID();
        WireSocket stalled = open("127.0.0.24");
        String stalledId = PusherSocket.data(stalled.next("pusher:connection_established")).get("socket_id").asText();
        stalled.send(subscribe("subscribe", channel));
        stalled.next("pusher_internal:subscription_succeeded");
        WireSocket reader = open("127.0.0.25");
        reader.next("pusher:connection_established");
        reader.send(subscribe("subscribe", channel));
        reader.next("pusher_internal:subscription_succeeded");
        // events of 9 KB until the gateway cuts the stalled socket (the kernel's buffers of both ends take some tens
        // of MB first), at most 200 MB; the stalled socket reads nothing, the other reads everything as it comes
        int most = 20_000;
        String pad = "x".repeat(9000);
        List<Integer> got = java.util.Collections.synchronizedList(new ArrayList<>());
        int published = 0;
        CompletableFuture<Void> received = CompletableFuture.runAsync(() -> {
            try {
                String text;
                while ((text = reader.next()) != null) {
                    JsonNode frame = PusherSocket.JSON.readTree(text);
                    if (PusherSocket.event(frame).equals("n")) {
                        got.add(PusherSocket.JSON.readTree(frame.get("data").asText()).get("n").asInt());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        while (published < most && connections.all().stream().anyMatch(c -> c.socketId().equals(stalledId))) {
            // the reader is never more than ~1 MB behind, so it alone is never near the limit, however slow the machine
            long deadline = System.nanoTime() + Markers.WAIT.toNanos();
            while (got.size() < published - 100 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            published++;
            publisher.publish("app-id", channel, ChannelEvent.server("n", "{\"n\":" + published + ",\"pad\":\"" + pad + "\"}", null))
                    .await().atMost(Markers.WAIT);
        }
        // the stalled socket was cut; the reader got every event once, in order (its last one is the barrier)
        assertTrue(published < most, "cut after " + published + " events of 9 KB");
        System.out.printf("a subscriber that stopped reading was cut after %d events of 9 KB%n", published);
        int all = published;
        Awaitility.await().atMost(Markers.WAIT).until(() -> got.size() >= all);
        assertEquals(java.util.stream.IntStream.rangeClosed(1, all).boxed().toList(), List.copyOf(got));
        reader.close();
        received.get(Markers.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(before + 1, refusals("maxPendingBytes"));
        // what the stalled client reads now is what was written before the cut, then the end of the connection
        int read = 0;
        while (stalled.next() != null) {
            read++;
        }
        assertTrue(read < all, "cut before every event reached it: " + read + " of " + all);
    }

    private static long pendingNow(Channel server) {
        return server.unsafe().outboundBuffer() == null ? -1 : server.unsafe().outboundBuffer().totalPendingWriteBytes();
    }

    private static String subscribe(String kind, String channel) {
        return "{\"event\":\"pusher:" + kind + "\",\"data\":{\"channel\":\"" + channel + "\"}}";
    }

    private static boolean succeeded(JsonNode frame, String channel) {
        return PusherSocket.event(frame).equals("pusher_internal:subscription_succeeded") && frame.path("channel").asText().equals(channel);
    }

    @Test
    void clientEventsHaveABudgetPerSocketBesideTheirAppsRate() throws Exception {
        double before = refusals("clientEventLimit");
        String channel = "private-budget-" + UUID.randomUUID();
        WireSocket sender = subscribedPrivate("127.0.0.17", channel);
        WireSocket receiver = subscribedPrivate("127.0.0.18", channel);
        for (int i = 1; i <= CLIENT_EVENTS + 1; i++) {
            sender.send("{\"event\":\"client-n\",\"channel\":\"" + channel + "\",\"data\":{\"n\":" + i + "}}");
        }
        JsonNode refused = sender.next("pusher:error");
        assertEquals(4301, PusherSocket.data(refused).get("code").asInt(), refused.toString());
        String marker = markers.publish(channel);
        List<Integer> got = new ArrayList<>();
        String text;
        while ((text = receiver.next()) != null) {
            JsonNode frame = PusherSocket.JSON.readTree(text);
            if (PusherSocket.event(frame).equals(marker)) {
                break;
            }
            if (PusherSocket.event(frame).equals("client-n")) {
                got.add(PusherSocket.data(frame).get("n").asInt());
            }
        }
        assertEquals(List.of(1, 2, 3, 4), got);
        assertEquals(before + 1, refusals("clientEventLimit"));
    }

    /** The socket was told pusher:error 4100 and closed with 4100, for this reason. */
    private static void assertOverCapacity(WireSocket over, String reason) throws Exception {
        JsonNode error = over.next("pusher:error");
        assertEquals(4100, PusherSocket.data(error).get("code").asInt(), error.toString());
        assertEquals(4100, over.awaitClose(), over.closeReason());
        assertTrue(over.closeReason().contains(reason), over.closeReason());
    }

    private List<JsonNode> framesUntilPong(WireSocket s) throws Exception {
        List<JsonNode> frames = new ArrayList<>();
        String text;
        while ((text = s.next()) != null) {
            JsonNode frame = PusherSocket.JSON.readTree(text);
            if (PusherSocket.event(frame).equals("pusher:pong")) {
                return frames;
            }
            frames.add(frame);
        }
        throw new AssertionError("closed " + s.closeCode() + " before the pong: " + frames);
    }

    private WireSocket subscribedPrivate(String address, String channel) throws Exception {
        WireSocket s = open(address);
        String socketId = PusherSocket.data(s.next("pusher:connection_established")).get("socket_id").asText();
        String auth = PusherSocket.APP.auth(PusherApp.privateChannelText(socketId, channel));
        s.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":\"" + auth + "\"}}");
        s.next("pusher_internal:subscription_succeeded");
        return s;
    }

    /** A socket from this address that subscribed to a public channel (so the first-subscription timeout spares it). */
    private WireSocket joined(String address) throws Exception {
        return joined(address, null);
    }

    /** As {@link #joined(String)}, saying it forwards for {@code forwardedFor} (null: says nothing). */
    private WireSocket joined(String address, String forwardedFor) throws Exception {
        WireSocket s = open(address, forwardedFor);
        s.next("pusher:connection_established");
        s.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"public-edge\"}}");
        s.next("pusher_internal:subscription_succeeded");
        return s;
    }

    private WireSocket open(String address) throws Exception {
        return open(address, null);
    }

    private WireSocket open(String address, String forwardedFor) throws Exception {
        WireSocket s = WireSocket.open(address, port, PusherSocket.APP_PATH, forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n");
        opened.add(s);
        return s;
    }

    private double refusals(String limit) {
        var counter = registry.find("websocket.refusals").tag("limit", limit).counter();
        return counter == null ? 0 : counter.count();
    }
}
