package io.presence.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guarantees of the event path with real sessions, through the gateway: every acknowledged message reaches
 * every subscriber exactly once and in id order, even while the gateway's and message-service's Redis connections
 * are cut; client events never reach someone their sender blocked or was blocked by, nor anyone while the sender
 * is invisible. The shared suite's gateway and message-service reach Redis through {@link TcpProxy}s the test cuts
 * while the load is provably flowing (after so many acknowledgements), and a last message after all the others is the
 * barrier after which nothing more can come.
 */
@OnSharedSuite
class EventGuaranteesIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static ServiceSuite suite;
    private static ServiceProcess gateway;

    @BeforeAll
    static void suite() {
        suite = SharedSuite.suite();
        gateway = SharedSuite.gateway();
    }

    @Test
    void everyAcknowledgedMessageReachesEverySubscriberOnceInOrderThroughRedisOutages() throws Exception {
        String base = gateway.url("");
        List<Accounts.Account> users = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            users.add(Accounts.register(base, "sender"));
        }
        String room = users.get(0).as().body("{\"name\":\"load\",\"visibility\":\"public\"}").post(base + "/api/rooms")
                .then().statusCode(201).extract().path("id");
        for (Accounts.Account u : users.subList(1, users.size())) {
            u.as().put(base + "/api/rooms/" + room + "/members/me").then().statusCode(200);
        }
        String channel = "presence-room-" + room;
        List<RawSocket> subscribers = new ArrayList<>();
        for (Accounts.Account u : users.subList(0, 10)) {
            RawSocket s = new RawSocket(gateway.port);
            s.subscribe(channel, u.authorize(s.socketId(), channel));
            s.next("pusher_internal:subscription_succeeded");
            subscribers.add(s);
        }
        drainUntilMarker(channel, subscribers); // the joins of the later subscribers: not what this test counts

        // 64 senders (4 per user) as fast as they are acknowledged, for 8 s, while Redis is cut twice
        ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        List<Future<?>> senders = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Accounts.Account author = users.get(i % users.size());
            senders.add(pool.submit(() -> {
                while (sending.get()) {
                    Long id = send(base, room, author);
                    if (id != null) {
                        acknowledged.add(id);
                    }
                }
                return null;
            }));
        }
        // each fault while the load is provably flowing: after so many more sends were acknowledged
        awaitMore(acknowledged, 100);
        TcpProxy gatewayRedis = suite.redisProxy("gateway-service");
        TcpProxy messageRedis = suite.redisProxy("message-service");
        gatewayRedis.cut(); // the gateway's pub/sub (and every other Redis connection of it) drops
        awaitMore(acknowledged, 50);
        gatewayRedis.restore();
        awaitMore(acknowledged, 50);
        messageRedis.cut(); // message-service cannot publish: events wait and are retried
        awaitMore(acknowledged, 20);
        messageRedis.restore();
        awaitMore(acknowledged, 100);
        sending.set(false);
        for (Future<?> f : senders) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<Long> expected = new ArrayList<>(acknowledged);
        Collections.sort(expected);
        System.out.println("[guarantees] " + expected.size() + " messages acknowledged by 64 senders");
        // one more message after every other: the next event each subscriber gets once it has all the others
        Long[] sent = new Long[1];
        await().atMost(RawSocket.WAIT).until(() -> (sent[0] = send(base, room, users.get(0))) != null);
        long marker = sent[0];
        for (int i = 0; i < subscribers.size(); i++) {
            List<Long> received = messageIdsUntil(subscribers.get(i), marker);
            assertEquals(expected.size(), received.size(), "subscriber " + i + ": every message, none twice");
            assertEquals(expected, received, "subscriber " + i + ": exactly the acknowledged messages, in id order");
            assertTrue(!subscribers.get(i).closedByServer(), "subscriber " + i + " stayed connected");
            subscribers.get(i).close();
        }
    }

    /** Waits until {@code more} sends beyond those acknowledged so far were acknowledged. */
    private static void awaitMore(ConcurrentLinkedQueue<Long> acknowledged, int more) {
        int target = acknowledged.size() + more;
        await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= target);
    }

    /** Sends one message; its id when acknowledged (201), else null. */
    private static Long send(String base, String room, Accounts.Account author) {
        String body = "{\"text\":\"hello\",\"clientMessageId\":\"" + UUID.randomUUID() + "\"}";
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/rooms/" + room + "/messages"))
                    .header("Authorization", "Bearer " + author.token()).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 201 ? Long.parseLong(RawSocket.JSON.readTree(response.body()).get("id").asText()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The ids of the {@code message} events a subscriber received before the marker message, in order. */
    private static List<Long> messageIdsUntil(RawSocket subscriber, long marker) throws Exception {
        List<Long> ids = new ArrayList<>();
        while (true) {
            JsonNode frame = subscriber.next();
            if (RawSocket.event(frame).equals("message")) {
                long id = Long.parseLong(RawSocket.data(frame).get("id").asText());
                if (id == marker) {
                    return ids;
                }
                ids.add(id);
            }
        }
    }

    /** Reads every socket's frames up to a marker sent now: what came before is behind them. */
    private static void drainUntilMarker(String channel, List<RawSocket> sockets) throws Exception {
        String marker = GatewayApi.mark(gateway, channel);
        for (RawSocket s : sockets) {
            s.framesUntil(marker);
        }
    }

    @Test
    void clientEventsNeverReachBlockedUsersNorLeaveAnInvisibleSender() throws Exception {
        String base = gateway.url("");
        Accounts.Account ana = Accounts.register(base, "ana");
        Accounts.Account bob = Accounts.register(base, "bob");
        Accounts.Account eve = Accounts.register(base, "eve");
        String channel = "presence-lobby-" + UUID.randomUUID();
        RawSocket anaSocket = join(ana, channel);
        RawSocket bobSocket = join(bob, channel);
        RawSocket bobTab = join(bob, channel);
        RawSocket eveSocket = join(eve, channel);

        // eve blocks ana: ana stops seeing eve, and the two no longer hear each other's client events
        eve.as().body("{\"handle\":\"" + ana.handle() + "\"}").post(base + "/api/contacts/blocks").then().statusCode(204);
        assertEquals(eve.id(), RawSocket.data(anaSocket.skipTo("pusher_internal:member_removed")).get("user_id").asText());
        drainUntilMarker(channel, List.of(anaSocket, bobSocket, bobTab, eveSocket));
        // bob goes invisible: his client events (this status update too) reach only his own other tab
        bobSocket.send(Map.of("event", "client-status-update", "channel", channel, "data", Map.of("status", "invisible")));
        bobSocket.next("pusher:member_updated");
        anaSocket.send(Map.of("event", "client-from-ana", "channel", channel, "data", Map.of("n", 1)));
        eveSocket.send(Map.of("event", "client-from-eve", "channel", channel, "data", Map.of("n", 2)));
        bobSocket.send(Map.of("event", "client-from-bob", "channel", channel, "data", Map.of("n", 3)));

        // bob's other tab hears all three: they are published, so a marker through the HTTP API comes after them
        List<String> toBobsTab = new ArrayList<>();
        while (toBobsTab.size() < 4) {
            toBobsTab.addAll(clientEvents(List.of(bobTab.next())));
        }
        String marker = GatewayApi.mark(gateway, channel);
        toBobsTab.addAll(clientEvents(bobTab.framesBefore(marker)));
        List<String> toAna = clientEvents(anaSocket.framesBefore(marker));
        List<String> toEve = clientEvents(eveSocket.framesBefore(marker));
        List<String> toBob = clientEvents(bobSocket.framesBefore(marker));
        assertEquals(List.of(), toAna, "eve blocked ana; bob is invisible");
        assertEquals(List.of(), toEve, "ana was blocked by eve; bob is invisible");
        assertEquals(List.of("client-from-ana", "client-from-eve"), toBob.stream().sorted().toList(), "never back to the sender");
        assertEquals(List.of("client-from-ana", "client-from-bob", "client-from-eve", "client-status-update"),
                toBobsTab.stream().sorted().toList(), "an invisible user's own other tab hears them");
        for (RawSocket s : List.of(anaSocket, bobSocket, bobTab, eveSocket)) {
            s.close();
        }
    }

    private static RawSocket join(Accounts.Account user, String channel) throws Exception {
        RawSocket s = new RawSocket(gateway.port);
        s.subscribe(channel, user.authorize(s.socketId(), channel));
        s.next("pusher_internal:subscription_succeeded");
        return s;
    }

    /** The client event names among frames, in order. */
    private static List<String> clientEvents(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("event").asText()).filter(e -> e.startsWith("client-")).toList();
    }
}
