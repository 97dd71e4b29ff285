package io.presence.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.infra.Infrastructure;
import io.presence.infra.InfraSettings;
import io.presence.infra.SuiteEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Two gateway processes and presence-service on one Redis: presence is one picture, and survives a killed gateway. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiGatewayIT {

    private static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();

    private static Infrastructure infra;
    private static final List<ServiceProcess> processes = new ArrayList<>();
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;
    private static String prefix;

    @BeforeAll
    static void start() throws Exception {
        infra = Infrastructure.open(InfraSettings.fromEnvironment(), ROOT.resolve("system-tests/target/infra-multi"), System.out::println);
        SuiteEnvironment.Ports ports = new SuiteEnvironment.Ports(Infrastructure.freePort(), Infrastructure.freePort(),
                Infrastructure.freePort(), Infrastructure.freePort());
        prefix = "multi-" + UUID.randomUUID();
        Path work = ROOT.resolve("system-tests/target");
        Map<String, String> presenceEnv = new LinkedHashMap<>(SuiteEnvironment.forService("presence-service", null, infra.redis(), ports, work));
        presenceEnv.put("PRESENCE_STORE_KEY_PREFIX", prefix);
        processes.add(ServiceProcess.start(ROOT, "presence-service", ports.presence(), presenceEnv, "presence-service-multi"));
        for (String name : List.of("gateway-a", "gateway-b")) {
            int port = Infrastructure.freePort();
            Map<String, String> env = new LinkedHashMap<>(SuiteEnvironment.forService("gateway-service", null, infra.redis(), ports, work.resolve(name)));
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(Infrastructure.freePort()));
            env.put("PRESENCE_STORE_KEY_PREFIX", prefix);
            processes.add(ServiceProcess.start(ROOT, "gateway-service", port, env, name));
        }
        gatewayA = processes.get(1);
        gatewayB = processes.get(2);
        for (ServiceProcess p : processes) {
            p.awaitReady(Duration.ofSeconds(90));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess p : processes) {
            p.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    @Order(1)
    void aUserWithTabsOnTwoGatewaysIsOneMember() throws Exception {
        String channel = "presence-tabs-" + UUID.randomUUID();
        RawSocket watcher = new RawSocket(gatewayA.port);
        assertEquals(1, watcher.join(channel, "watcher"));
        RawSocket tab1 = new RawSocket(gatewayA.port);
        RawSocket tab2 = new RawSocket(gatewayB.port);
        RawSocket tab3 = new RawSocket(gatewayB.port);
        assertEquals(2, tab1.join(channel, "ana"));
        assertEquals(2, tab2.join(channel, "ana"));
        assertEquals(2, tab3.join(channel, "ana"));
        assertEquals("ana", RawSocket.data(watcher.next("pusher_internal:member_added")).get("user_id").asText());
        assertNull(watcher.next("pusher_internal:member_added", 500), "announced once");

        // client events cross gateways, carry the sender's user_id, never come back to the sender
        watcher.send(Map.of("event", "client-wave", "channel", channel, "data", Map.of("hi", 1)));
        JsonNode wave = tab2.next("client-wave");
        assertNotNull(wave);
        assertEquals("watcher", wave.get("user_id").asText());
        assertNull(watcher.next("client-wave", 300));

        tab1.close();
        tab2.close();
        assertNull(watcher.next("pusher_internal:member_removed", 700), "ana still has a tab open");
        tab3.close();
        assertEquals("ana", RawSocket.data(watcher.next("pusher_internal:member_removed")).get("user_id").asText());
        watcher.close();
    }

    @Test
    @Order(2)
    void statusChangesCrossGatewaysAndThePresenceApiSeesThem() throws Exception {
        String channel = "presence-status-" + UUID.randomUUID();
        String ana = "ana-" + UUID.randomUUID();
        RawSocket watcher = new RawSocket(gatewayA.port);
        watcher.join(channel, "watcher-" + UUID.randomUUID());
        RawSocket tab = new RawSocket(gatewayB.port);
        tab.join(channel, ana);
        watcher.next("pusher_internal:member_added");

        tab.send(Map.of("event", "client-status-update", "channel", channel, "data", Map.of("status", "busy", "text", "focus")));
        JsonNode updated = RawSocket.data(watcher.next("pusher:member_updated"));
        assertEquals(ana, updated.get("user_id").asText());
        assertEquals("busy", updated.get("user_info").get("status").asText());
        JsonNode seen = presence(ana);
        assertEquals(true, seen.get("online").asBoolean());
        assertEquals("busy", seen.get("status").asText());
        assertEquals("focus", seen.get("text").asText());

        // an expiring status comes back to online by itself, announced by presence-service
        tab.send(Map.of("event", "client-status-update", "channel", channel, "data", Map.of("status", "away", "expiresIn", 1)));
        assertEquals("away", RawSocket.data(watcher.next("pusher:member_updated")).get("user_info").get("status").asText());
        JsonNode back = watcher.next("pusher:member_updated", 5_000);
        assertNotNull(back, "the expired status was announced");
        assertEquals("online", RawSocket.data(back).get("user_info").get("status").asText());

        tab.send(Map.of("event", "client-status-update", "channel", channel, "data", Map.of("status", "invisible")));
        assertEquals(ana, RawSocket.data(watcher.next("pusher_internal:member_removed")).get("user_id").asText());
        assertEquals(false, presence(ana).get("online").asBoolean());
        tab.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertTrue(presence(ana).hasNonNull("lastSeen")));
        assertNull(watcher.next("pusher_internal:member_removed", 500), "an invisible user leaves unseen");
        watcher.close();
    }

    /** presence-service's answer for a user, asked as a signed backend. */
    private static JsonNode presence(String userId) throws Exception {
        String path = "/api/presence/users/" + userId;
        String query = RawSocket.APP.signedQuery("GET", path, Map.of(), null);
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(processes.get(0).url(path + "?" + query))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return RawSocket.JSON.readTree(response.body());
    }

    @Test
    @Order(3)
    void whenRedisLosesEverythingLiveGatewaysRegisterTheirPresenceAgain() throws Exception {
        String channel = "presence-amnesia-" + UUID.randomUUID();
        RawSocket a = new RawSocket(gatewayA.port);
        RawSocket b = new RawSocket(gatewayB.port);
        a.join(channel, "ana");
        b.join(channel, "bob");
        a.next("pusher_internal:member_added");

        // what a Redis restart without persistence looks like to the suite: every key of ours gone
        try (var redis = new java.net.Socket(infra.redis().host(), infra.redis().port())) {
            var out = redis.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(redis.getInputStream()));
            String script = "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 1";
            String command = "*4\r\n$4\r\nEVAL\r\n$" + script.length() + "\r\n" + script + "\r\n$1\r\n0\r\n$"
                    + (prefix.length() + 2) + "\r\n" + prefix + ":*\r\n";
            out.write(command.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            assertEquals(":1", in.readLine());
        }

        // within a lease renewal both users are back, without anyone reconnecting
        long deadline = System.currentTimeMillis() + 8_000;
        int count = 0;
        while (System.currentTimeMillis() < deadline && count != 3) {
            RawSocket probe = new RawSocket(gatewayA.port);
            count = probe.join(channel, "probe");
            probe.close();
            Thread.sleep(200);
        }
        assertEquals(3, count, "ana and bob re-registered (plus the probe)");
        // and the still-open sockets still hear each other
        b.send(Map.of("event", "client-ping", "channel", channel, "data", Map.of()));
        assertNotNull(a.next("client-ping"));
        a.close();
        b.close();
    }

    @Test
    @Order(4)
    void aKilledGatewayLeavesNoGhostAfterTenSeconds() throws Exception {
        String channel = "presence-crash-" + UUID.randomUUID();
        int users = 200;
        List<RawSocket> watchers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawSocket w = new RawSocket(gatewayA.port);
            w.join(channel, "watcher-" + i);
            watchers.add(w);
        }
        List<RawSocket> doomed = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            RawSocket s = new RawSocket(gatewayB.port);
            s.join(channel, "user-" + i);
            doomed.add(s);
        }
        for (RawSocket w : watchers) {
            assertEquals(users, drain(w, "pusher_internal:member_added", users, 20_000).size());
        }

        long killed = System.nanoTime();
        gatewayB.kill();
        for (RawSocket w : watchers) {
            Set<String> removed = drain(w, "pusher_internal:member_removed", users, 10_000 - (System.nanoTime() - killed) / 1_000_000);
            assertEquals(users, removed.size(), "member_removed within 10 s of kill -9");
        }
        long seconds = (System.nanoTime() - killed) / 1_000_000_000;
        assertTrue(seconds <= 10, "took " + seconds + " s");
        RawSocket late = new RawSocket(gatewayA.port);
        assertEquals(watchers.size() + 1, late.join(channel, "late"), "no ghost left for late joiners");
    }

    /** The user ids of up to {@code expected} frames of one event, within the time given. */
    private static Set<String> drain(RawSocket socket, String event, int expected, long millis) throws InterruptedException {
        Set<String> users = new HashSet<>();
        long deadline = System.currentTimeMillis() + Math.max(0, millis);
        while (users.size() < expected && System.currentTimeMillis() < deadline) {
            JsonNode frame = socket.next(event, Math.max(1, deadline - System.currentTimeMillis()));
            if (frame != null) {
                users.add(RawSocket.data(frame).get("user_id").asText());
            }
        }
        return users;
    }
}
