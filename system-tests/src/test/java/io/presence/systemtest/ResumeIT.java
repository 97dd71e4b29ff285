package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import io.presence.testsupport.PusherSocket;
import org.junit.jupiter.api.Test;

/**
 * Resume across reconnects with unmodified pusher-js and Laravel Echo (resume-check.cjs) against the two gateway
 * processes of the shared suite, while a publisher sends 50 events per second on a private and a presence channel:
 * a rolling restart of both gateways, and a network cut of 10 s after which the clients land on the other gateway.
 * Every number each client received on each channel is checked: none missing, in order, and how many came twice.
 */
@OnSharedSuite
class ResumeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What one client got on one channel: the numbers, split where it subscribed again; {@code ambiguous} are numbers
     * the publisher may have sent twice itself (a request to a gateway that stopped while answering, sent again).
     */
    private record Received(String client, String channel, List<List<Long>> segments, int missedNotices, Set<Long> ambiguous) {

        /** Numbers received twice: where a segment starts at or below where the previous one ended. */
        int duplicates() {
            int twice = 0;
            for (int i = 1; i < segments.size(); i++) {
                List<Long> before = last(i);
                if (before != null && !segments.get(i).isEmpty()) {
                    twice += (int) Math.max(0, before.get(before.size() - 1) - segments.get(i).get(0) + 1);
                }
            }
            return twice;
        }

        /** The last non-empty segment before segment i, or null. */
        private List<Long> last(int i) {
            for (int j = i - 1; j >= 0; j--) {
                if (!segments.get(j).isEmpty()) {
                    return segments.get(j);
                }
            }
            return null;
        }

        /** Asserts each segment counts up by one, segments join without a gap, and everything up to {@code published} came. */
        void assertComplete(long published) {
            long highest = 0;
            for (List<Long> segment : segments) {
                for (int k = 0; k < segment.size(); k++) {
                    long n = segment.get(k);
                    if (k == 0) {
                        assertTrue(n <= highest + 1, this + ": a gap before " + n + " (had up to " + highest + ")");
                    } else if (!(n == segment.get(k - 1) && ambiguous.contains(n))) {
                        assertEquals(segment.get(k - 1) + 1, n, this + ": out of order or a gap");
                    }
                    highest = Math.max(highest, n);
                }
            }
            assertEquals(published, highest, this + ": the last events are missing");
            assertEquals(0, missedNotices, this + ": told events_missed");
        }
    }

    private static List<Received> received(String output) throws Exception {
        JsonNode result = JSON.readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        assertTrue(result.get("ok").asBoolean(), output);
        List<Received> all = new ArrayList<>();
        Set<Long> ambiguous = new HashSet<>();
        result.get("ambiguous").forEach(n -> ambiguous.add(n.asLong()));
        for (JsonNode client : result.get("clients")) {
            String who = "client " + client.get("client").asInt() + (client.get("echo").asBoolean() ? " (Echo)" : " (pusher-js)");
            client.get("channels").fields().forEachRemaining(channel -> {
                List<List<Long>> segments = new ArrayList<>();
                channel.getValue().forEach(segment -> {
                    List<Long> numbers = new ArrayList<>();
                    segment.forEach(n -> numbers.add(n.asLong()));
                    segments.add(numbers);
                });
                int missed = 0;
                for (JsonNode notice : client.get("missed")) {
                    if (notice.get("channel").asText().equals(channel.getKey())) {
                        missed++;
                    }
                }
                all.add(new Received(who, channel.getKey(), segments, missed, ambiguous));
            });
        }
        all.forEach(r -> r.assertComplete(result.get("published").asLong()));
        System.out.printf("resume: %d events on each of 2 channels, %d clients; subscriptions per client and channel %s; "
                        + "received twice at a seam %s; sent twice by the publisher itself (ambiguous) %s%n",
                result.get("published").asLong(), result.get("clients").size(), all.stream().map(r -> r.segments().size()).toList(),
                all.stream().map(Received::duplicates).toList(), ambiguous);
        return all;
    }

    private static Map<String, String> environment(int entryPort, int clients, Path stopFile) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return Map.of("ENTRY_PORT", Integer.toString(entryPort),
                "API_PORTS", SharedSuite.gateway().port + "," + SharedSuite.gatewayB().port,
                "CLIENTS", Integer.toString(clients), "RATE", "50", "STOP_FILE", stopFile.toString(),
                "PRIVATE_CHANNEL", "resume-" + run, "PRESENCE_CHANNEL", "resume-" + run, "TIMEOUT_MS", "170000");
    }

    private static Path project() throws Exception {
        NodeScripts.requireNode();
        return NodeScripts.install(ServiceSuite.ROOT, "system-tests/src/test/node", "system-tests/target/pusher-js");
    }

    @Test
    void aRollingRestartOfBothGatewaysLosesNothingAndRepeatsNothing() throws Exception {
        Path project = project();
        Path stop = ServiceSuite.ROOT.resolve("system-tests/target/resume-stop-" + UUID.randomUUID());
        try (TcpProxy balancer = TcpProxy.balancing(SharedSuite.gateway().port, SharedSuite.gatewayB().port)) {
            String output = NodeScripts.run(ServiceSuite.ROOT, project, environment(balancer.port(), 10, stop), Duration.ofMinutes(3),
                    line -> {
                        if (line.equals("step:ready")) {
                            // SIGTERM, as a rolling update does: each gateway drains (4200) and its clients resume on the other
                            SharedSuite.suite().startAgain("gateway-service");
                            SharedSuite.suite().startAgain("gateway-b");
                            Files.createFile(stop);
                        }
                    }, "node", "resume-check.cjs");
            for (Received r : received(output)) {
                assertEquals(0, r.duplicates(), r + ": a drained socket's client resumes exactly where it stopped reading");
                assertTrue(r.segments().size() >= 2, r + ": it was drained at least once");
            }
        }
    }

    @Test
    void aNetworkCutOfTenSecondsLosesNothingAndTheClientsResumeOnTheOtherGateway() throws Exception {
        Path project = project();
        Path stop = ServiceSuite.ROOT.resolve("system-tests/target/resume-stop-" + UUID.randomUUID());
        try (TcpProxy network = TcpProxy.balancing(SharedSuite.gateway().port)) {
            String output = NodeScripts.run(ServiceSuite.ROOT, project, environment(network.port(), 2, stop), Duration.ofMinutes(3),
                    line -> {
                        if (line.equals("step:ready")) {
                            network.cut(); // the clients' connections drop; they retry, refused, for 10 s
                            Thread.sleep(10_000);
                            network.retarget(SharedSuite.gatewayB().port);
                            network.restore();
                        } else if (line.equals("step:resumed")) {
                            Files.createFile(stop);
                        }
                    }, "node", "resume-check.cjs");
            for (Received r : received(output)) {
                assertEquals(2, r.segments().size(), r + ": subscribed once before the cut and once after");
                // an abrupt cut can lose the pong of an event the client had read: such an event (of the last round trip) comes again
                assertTrue(r.duplicates() <= 3, r + ": more than the last round trip's events came twice");
            }
        }
    }

    @Test
    void aSocketStillOpenOnOneGatewayIsTakenOverFromTheOther() throws Exception {
        String channel = "takeover-" + UUID.randomUUID();
        String clientId = PusherSocket.newClientId();
        ServiceProcess a = SharedSuite.gateway();
        ServiceProcess b = SharedSuite.gatewayB();
        try (PusherSocket first = PusherSocket.resumable(a.port, clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            first.subscribePublic(channel);
            GatewayApi.trigger(a, channel, "e", "{\"n\":1}");
            String marker = GatewayApi.mark(a, channel);
            assertEquals(List.of("e", marker), first.framesUntil(marker).stream().map(PusherSocket::event).toList());
            first.awaitReceipt();
            first.cutNetwork(); // its network is gone; gateway A does not know yet and keeps the socket
            GatewayApi.trigger(a, channel, "e", "{\"n\":2}");
            GatewayApi.trigger(a, channel, "e", "{\"n\":3}");

            // the client comes back through gateway B: A records what the old socket had acknowledged and closes it
            try (PusherSocket second = PusherSocket.resumable(b.port, clientId).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
                assertEquals(4110, first.closeCode().get(30, java.util.concurrent.TimeUnit.SECONDS), "the superseded socket");
                second.subscribePublic(channel);
                String after = GatewayApi.mark(b, channel);
                List<String> got = second.framesUntil(after).stream()
                        .map(f -> PusherSocket.event(f) + (PusherSocket.event(f).equals("e") ? PusherSocket.data(f).get("n").asText() : "")).toList();
                assertEquals(List.of("e2", "e3", after), got);
            }
        }
    }
}
