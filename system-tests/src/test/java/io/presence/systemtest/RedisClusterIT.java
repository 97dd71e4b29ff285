package io.presence.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.pusher.Channels;
import io.presence.common.testing.RequiredTool;
import io.presence.infra.RedisCluster;
import io.presence.infra.RedisProcess;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole suite, unchanged, on a local Redis Cluster of three masters with a replica each: presence, statuses,
 * client events and HTTP API events cross gateways exactly once, and the HTTP API agrees; events travel by sharded
 * pub/sub (each gateway SSUBSCRIBEd on the channel's master, nobody SUBSCRIBEd classically). Then the cluster loses the
 * master that owns a presence channel and that every gateway's pub/sub connection uses: its replica takes over, and
 * presence, statuses and messages keep working, both gateways listen again, and every message acknowledged during the
 * failover reaches a room subscriber exactly once. Gateways cannot renew a lease that lived on the lost master until
 * its replica takes over, so nobody may be taken for dead meanwhile. Last, a gateway is killed (SIGKILL): its members
 * leave, each exactly once, and nobody else does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    private static RedisCluster cluster;
    private static ServiceSuite suite;
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;

    @BeforeAll
    static void start() throws Exception {
        RequiredTool.require(RedisCluster.available(), "redis-server and redis-cli", "apt-get install redis-server");
        cluster = RedisCluster.start(ServiceSuite.ROOT.resolve("system-tests/target/redis-cluster-" + UUID.randomUUID()), 3, 1);
        Map<String, String> onCluster = Map.of("QUARKUS_REDIS_CLIENT_TYPE", "cluster", "QUARKUS_REDIS_HOSTS", String.join(",", cluster.urls()));
        suite = ServiceSuite.onDiscoveredStores("cluster", cluster.nodes().get(0).endpoint()).withEnvironment(onCluster).startAll(Map.of());
        gatewayA = suite.service("gateway-service");
        gatewayB = suite.startGateway("gateway-b", Map.of());
        suite.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void presenceStatusesAndEventsWorkAcrossGatewaysOnACluster() throws Exception {
        String channel = "presence-cluster-" + UUID.randomUUID();
        RawSocket ana = new RawSocket(gatewayA.port);
        PresenceReplay seenByAna = new PresenceReplay();
        seenByAna.apply(ana.joinFrame(channel, "ana"));
        RawSocket bob = new RawSocket(gatewayB.port);
        PresenceReplay seenByBob = new PresenceReplay();
        seenByBob.apply(bob.joinFrame(channel, "bob"));
        RawSocket bobTab = new RawSocket(gatewayA.port);
        bobTab.joinFrame(channel, "bob");
        assertShardedBus(channel, 2);

        bob.send(Map.of("event", "client-status-update", "channel", channel, "data", Map.of("status", "busy", "text", "call")));
        ana.send(Map.of("event", "client-wave", "channel", channel, "data", Map.of("hi", 1)));
        GatewayApi.trigger(gatewayB, channel, "news", "{\"n\":1}");
        assertEquals(Set.of("ana", "bob"), GatewayApi.channelUsers(gatewayA, channel));
        // both client events are published (each reached the other side): a marker now comes after everything
        List<JsonNode> toBobFrames = new ArrayList<>(bob.framesUntil("client-wave"));
        List<JsonNode> toAna = new ArrayList<>(ana.framesUntil("client-status-update"));
        String marker = GatewayApi.mark(gatewayB, channel);
        toBobFrames.addAll(bob.framesBefore(marker));
        List<String> toBob = toBobFrames.stream().map(f -> f.get("event").asText())
                .filter(e -> e.startsWith("client-") || e.equals("news")).sorted().toList();
        assertEquals(List.of("client-wave", "news"), toBob, "each once, and not its own status update");
        bobTab.close();
        bob.close();

        assertTrue(awaitUsers(gatewayA, channel, Set.of("ana")), "bob left");
        toAna.addAll(ana.framesBefore(GatewayApi.mark(gatewayA, channel)));
        toAna.forEach(seenByAna::apply);
        assertEquals(List.of(), seenByAna.duplicates);
        assertEquals(Map.of("ana", "online"), seenByAna.statuses(), "bob came, went busy, and left");
        assertEquals(1, seenByAna.added);
        assertEquals(1, seenByAna.updated);
        assertEquals(1, seenByAna.removed);
        assertEquals(List.of("client-status-update", "news"), toAna.stream().map(f -> f.get("event").asText())
                .filter(e -> e.equals("client-status-update") || e.equals("news")).toList());
        ana.close();
    }

    @Test
    @Order(2)
    void presenceStatusesAndMessagesSurviveTheLossOfAMaster() throws Exception {
        // the first node is a master, the first host every service is given: its loss cuts every gateway's pub/sub
        RedisProcess doomed = cluster.nodes().get(0);
        String channel = channelOwnedBy(doomed);
        Accounts.Account ana = Accounts.register(gatewayA.url(""), "ana");
        Accounts.Account bob = Accounts.register(gatewayA.url(""), "bob");
        String room = ana.as().body("{\"name\":\"failover\",\"visibility\":\"public\"}").post(gatewayA.url("/api/rooms"))
                .then().statusCode(201).extract().path("id");
        bob.as().put(gatewayA.url("/api/rooms/" + room + "/members/me")).then().statusCode(200);
        String roomChannel = Channels.roomChannel(Long.parseLong(room));
        RawSocket reader = new RawSocket(gatewayB.port);
        reader.subscribe(roomChannel, bob.authorize(reader.socketId(), roomChannel));
        assertNotNull(reader.next("pusher_internal:subscription_succeeded"));

        RawSocket watcher = new RawSocket(gatewayA.port);
        PresenceReplay seen = new PresenceReplay();
        seen.apply(watcher.joinFrame(channel, "watcher"));
        RawSocket cy = new RawSocket(gatewayB.port);
        cy.join(channel, "cy");

        // messages are sent all through the failover, each retried with its key until acknowledged
        List<String> acknowledged = new ArrayList<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread sender = new Thread(() -> {
            for (int i = 0; sending.get() && i < 10_000; i++) {
                String id = sendUntilAcknowledged(ana, room, i);
                if (id != null) {
                    synchronized (acknowledged) {
                        acknowledged.add(id);
                    }
                }
            }
        });
        sender.start();
        awaitAcknowledged(acknowledged, 5); // the failover hits a flowing load

        long killed = System.currentTimeMillis();
        doomed.kill();
        cluster.awaitFailover(doomed, Duration.ofSeconds(30));
        System.out.printf("[failover] replica promoted, cluster ok %d ms after the master was killed%n", System.currentTimeMillis() - killed);
        // the gateways' cluster clients find the promoted replica (their HTTP API reads the channel's slot again)
        assertTrue(awaitUsers(gatewayA, channel, Set.of("watcher", "cy")) && awaitUsers(gatewayB, channel, Set.of("watcher", "cy")),
                "both gateways read the lost master's slots again");
        System.out.printf("[failover] both gateways read the lost master's slots %d ms after it was killed%n",
                System.currentTimeMillis() - killed);
        awaitAcknowledged(acknowledged, 5); // messages flow again after the failover
        sending.set(false);
        sender.join(60_000);

        // the watcher's gateway hears the channel's bus again before the next members come: a marker reaches it (by
        // the bus, or replayed once its subscription is back), else a join and leave in a gap are rightly not announced
        watcher.framesBefore(GatewayApi.mark(gatewayA, channel)).forEach(seen::apply);

        // presence and statuses work across both gateways after the failover
        RawSocket dee = new RawSocket(gatewayB.port);
        dee.join(channel, "dee");
        cy.send(Map.of("event", "client-status-update", "channel", channel, "data", Map.of("status", "busy")));
        cy.skipTo("pusher:member_updated"); // announced: numbered before the marker below
        assertTrue(awaitUsers(gatewayA, channel, Set.of("watcher", "cy", "dee")), "the HTTP API lists who is there");
        dee.close();
        assertTrue(awaitUsers(gatewayA, channel, Set.of("watcher", "cy")), "and who left");
        watcher.framesBefore(GatewayApi.mark(gatewayA, channel)).forEach(seen::apply);
        assertEquals(List.of(), seen.duplicates, "the watcher was told nothing twice");
        assertEquals(new TreeMap<>(Map.of("watcher", "online", "cy", "busy")), new TreeMap<>(seen.statuses()),
                "the watcher sees the true membership and statuses");
        // no false departure: gateways whose lease could not be renewed during the failover were not reaped
        assertEquals(List.of(2, 1, 1), List.of(seen.added, seen.removed, seen.updated), "cy and dee came, dee left, cy got busy");

        // every acknowledged message reached the reader exactly once, and history has them all
        // one more message after every other: the reader has everything else once it has this one
        String last = sendUntilAcknowledged(ana, room, -1);
        List<String> received = new ArrayList<>();
        String id;
        do {
            id = RawSocket.data(reader.skipTo("message")).get("id").asText();
            received.add(id);
        } while (!id.equals(last));
        received.remove(received.size() - 1);
        System.out.printf("[failover] %d messages acknowledged across the failover, %d delivered%n", acknowledged.size(), received.size());
        assertTrue(acknowledged.size() > 10, "messages were sent before, during and after the failover: " + acknowledged.size());
        assertEquals(new TreeSet<>(acknowledged), new TreeSet<>(received), "every acknowledged message was delivered");
        assertEquals(acknowledged.size(), received.size(), "none twice");
        List<String> history = bob.as().get(gatewayA.url("/api/rooms/" + room + "/messages")).then().statusCode(200)
                .extract().path("messages.findAll { it.kind == 'user' }.id");
        assertTrue(new TreeSet<>(history).containsAll(acknowledged.subList(Math.max(0, acknowledged.size() - 50), acknowledged.size())),
                "the latest acknowledged messages are in the history");
        watcher.close();
        cy.close();
        reader.close();

        // user-service on the cluster after the failover: a block reaches its Redis mirror and counts the relation up
        ana.as().body("{\"handle\":\"" + bob.handle() + "\"}").post(gatewayA.url("/api/contacts/blocks")).then().statusCode(204);
        String blockers = suite.prefix() + ":{u:app-id:" + bob.id() + "}:blockers"; // the built-in app's user
        String relation = suite.prefix() + ":rel:{" + Math.min(Long.parseLong(ana.id()), Long.parseLong(bob.id())) + ":"
                + Math.max(Long.parseLong(ana.id()), Long.parseLong(bob.id())) + "}";
        assertEquals("1", awaitReply(blockers, "SISMEMBER", blockers, ana.id()), "the block mirror");
        assertEquals(false, awaitReply(relation, "GET", relation).isEmpty(), "the relation version");
    }

    /** A command's reply on the master that owns the key, once it is neither empty nor 0 (or after 30 s). */
    private static String awaitReply(String key, String... command) throws Exception {
        String reply = "";
        long deadline = System.currentTimeMillis() + RawSocket.WAIT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            String out = RedisCluster.cli(cluster.masterOf(key).port(), command);
            reply = out == null ? "" : out.trim();
            if (!reply.isEmpty() && !reply.equals("0")) {
                return reply;
            }
            Thread.sleep(100);
        }
        return reply;
    }

    @Test
    @Order(3)
    void aKilledGatewaysMembersLeaveExactlyOnce() throws Exception {
        String channel = "presence-crash-" + UUID.randomUUID();
        RawSocket watcher = new RawSocket(gatewayA.port);
        watcher.join(channel, "watcher");
        List<RawSocket> onB = new ArrayList<>();
        for (String user : List.of("b1", "b2", "b2", "both")) {
            RawSocket socket = new RawSocket(gatewayB.port);
            socket.join(channel, user);
            onB.add(socket);
        }
        RawSocket bothOnA = new RawSocket(gatewayA.port);
        bothOnA.join(channel, "both");
        assertEquals(List.of("b1", "b2", "both"), RawSocket.userIdsOf(watcher.framesUntilCount("pusher_internal:member_added", 3,
                RawSocket.WAIT.toMillis()), "pusher_internal:member_added").stream().sorted().toList());

        long killed = System.currentTimeMillis();
        gatewayB.kill();
        List<String> removed = RawSocket.userIdsOf(watcher.framesUntilCount("pusher_internal:member_removed", 2,
                2 * RawSocket.WAIT.toMillis()), "pusher_internal:member_removed");
        System.out.printf("[crash] killed gateway's members removed at the watcher %d ms after the kill%n",
                System.currentTimeMillis() - killed);
        assertEquals(List.of("b1", "b2"), removed.stream().sorted().toList(), "each of the killed gateway's members once");
        assertTrue(awaitUsers(gatewayA, channel, Set.of("watcher", "both")), "the HTTP API agrees");
        List<JsonNode> later = watcher.framesBefore(GatewayApi.mark(gatewayA, channel));
        assertEquals(List.of(), later.stream().map(f -> f.path("event").asText()).filter(e -> e.startsWith("pusher_internal:member")).toList(),
                "nothing more: 'both' still has a socket on the live gateway");
        watcher.close();
        bothOnA.close();
    }

    /**
     * The channel's events go by sharded pub/sub: {@code gateways} gateways are SSUBSCRIBEd to its bus channel on the
     * master that owns it, and no node has a classic subscriber to it; the control channel stays classic.
     */
    private static void assertShardedBus(String channel, int gateways) throws Exception {
        String bus = suite.prefix() + ":{app-id:" + channel + "}:bus";
        String owner = RedisCluster.cli(cluster.masterOf(bus).port(), "PUBSUB", "SHARDNUMSUB", bus);
        assertEquals(Integer.toString(gateways), owner.lines().toList().get(1).trim(), "shard subscribers on the owning master");
        int classic = 0;
        int control = 0;
        for (RedisProcess node : cluster.nodes()) {
            String numsub = RedisCluster.cli(node.port(), "PUBSUB", "NUMSUB", bus, suite.prefix() + ":control");
            if (numsub != null) {
                List<String> lines = numsub.lines().toList();
                classic += Integer.parseInt(lines.get(1).trim());
                control += Integer.parseInt(lines.get(3).trim());
            }
        }
        assertEquals(0, classic, "no classic subscriber to the bus channel on any node");
        assertEquals(gateways, control, "each gateway listens to the control channel classically");
    }

    /** Waits until {@code more} more messages than now are acknowledged. */
    private static void awaitAcknowledged(List<String> acknowledged, int more) {
        int target;
        synchronized (acknowledged) {
            target = acknowledged.size() + more;
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            synchronized (acknowledged) {
                return acknowledged.size() >= target;
            }
        });
    }

    /** Posts message {@code i} with its idempotency key until the service acknowledges it (201, or 200 for a retry). */
    private static String sendUntilAcknowledged(Accounts.Account author, String room, int i) {
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                Response response = author.as().body("{\"text\":\"m" + i + "\",\"clientMessageId\":\"failover-" + i + "\"}")
                        .post(gatewayA.url("/api/rooms/" + room + "/messages"));
                if (response.statusCode() == 201 || response.statusCode() == 200) {
                    return response.path("id").toString();
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (RuntimeException e) {
                // a refused or reset connection is retried like a 5xx
            }
        }
        return null;
    }

    /** Whether the gateway's HTTP API lists exactly these users within 30 s. */
    private static boolean awaitUsers(ServiceProcess gateway, String channel, Set<String> users) throws Exception {
        long deadline = System.currentTimeMillis() + RawSocket.WAIT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (GatewayApi.channelUsers(gateway, channel).equals(users)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** A presence channel name whose keys (hash tag {@code {app-id:<channel>}}) live on the given master. */
    private static String channelOwnedBy(RedisProcess master) throws Exception {
        for (int i = 0; i < 200; i++) {
            String channel = "presence-failover-" + UUID.randomUUID();
            String reply = RedisCluster.cli(master.port(), "GET", "{app-id:" + channel + "}");
            if (reply != null && !reply.contains("MOVED")) {
                return channel;
            }
        }
        throw new IllegalStateException("no channel name found on " + master.port());
    }
}
