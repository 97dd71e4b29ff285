package io.presence.systemtest.bench;

import com.pusher.rest.Pusher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load tool for resume across reconnects (issue #29): one gateway on the discovered Redis. C clients, each subscribed
 * to 5 of 50 public channels, connect, drop their connections all at once (the gateway records each one's positions),
 * miss E events per channel (triggered meanwhile), then reconnect all at once with the same client ids and subscribe
 * again: each gets its 5 x E missed events once, counted exactly. The same runs with plain {@code /app/} sockets
 * (nothing recorded, nothing replayed). Per shape it reports the gateway's CPU-seconds and Redis commands for the
 * connects, the drops and the reconnects; the resumable/plain ratios give the cost of recording positions and of a resume.
 * Rounds alternate the shapes (R P, P R, ...) after a warm-up of each. Usage: system-tests/bench.sh resume [rounds=2]
 * [clients=1000] [eventsPerChannel=20]
 */
public final class ResumeBenchmark {

    private static final int CHANNELS = 50;
    private static final int PER_CLIENT = 5;
    private static final Duration CEILING = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern EVENT = Pattern.compile("\"event\":\"e\",\"channel\":\"([^\"]+)\".*?n\\\\\":(\\d+)");

    /** A client that answers pings as pusher-js does and counts each event it gets by channel and number. */
    private static final class Client implements WebSocket.Listener {
        final String clientId;
        final List<String> channels;
        final Set<String> events = new HashSet<>();
        int duplicates;
        int subscribed;
        /** Completed by the connection_established of the socket opened last. */
        volatile CompletableFuture<Void> established = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        Client(String clientId, List<String> channels) {
            this.clientId = clientId;
            this.channels = channels;
        }

        @Override
        public synchronized CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                if (frame.startsWith("{\"event\":\"pusher:ping\"")) {
                    ws.sendText("{\"event\":\"pusher:pong\",\"data\":{}}", true);
                } else if (frame.contains("subscription_succeeded")) {
                    subscribed++;
                } else if (frame.contains("connection_established")) {
                    established.complete(null);
                } else {
                    Matcher m = EVENT.matcher(frame);
                    if (m.find() && !events.add(m.group(1) + "#" + m.group(2))) {
                        duplicates++;
                    }
                }
            }
            ws.request(1);
            return null;
        }

        synchronized int counted() {
            return events.size();
        }

        synchronized int subscriptions() {
            return subscribed;
        }
    }

    /** What one shape cost: CPU-seconds and Redis commands of the gateway for connect, drop and reconnect. */
    private record Cost(double connectCpu, double dropCpu, double reconnectCpu, long connectCommands, long dropCommands,
                        long reconnectCommands, int replayed) {
    }

    private ResumeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        try (BenchServices services = BenchServices.open("bench-resume", "bench_resume_")) {
            services.start("gateway-service", Map.of(), "-Xmx1g");
            services.awaitReady();
            long gateway = services.pid("gateway-service");
            System.out.printf("machine: %d cores, %s; gateway pid %d; load average %s; %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.version"), gateway, java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip(),
                    services.redis);
            Pusher backend = new Pusher("app-id", "app-key", "app-secret");
            backend.setHost("127.0.0.1:" + services.ports.gateway());
            backend.setEncrypted(false);
            try {
                System.out.println("warm-up (not counted):");
                shape(true, clients, events, services, gateway, backend);
                shape(false, clients, events, services, gateway, backend);
                List<Cost[]> measured = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    boolean resumableFirst = round % 2 == 1;
                    System.out.println("round " + round + (resumableFirst ? " (resumable, plain):" : " (plain, resumable):"));
                    Cost first = shape(resumableFirst, clients, events, services, gateway, backend);
                    Cost second = shape(!resumableFirst, clients, events, services, gateway, backend);
                    measured.add(resumableFirst ? new Cost[] {first, second} : new Cost[] {second, first});
                }
                summary(measured, clients, events);
            } finally {
                backend.close();
            }
        }
    }

    /** One run of a shape: connect and subscribe, drop everything, trigger the missed events, reconnect and count. */
    private static Cost shape(boolean resumable, int clients, int events, BenchServices services, long gateway, Pusher backend)
            throws Exception {
        int port = services.ports.gateway();
        String run = Long.toString(System.nanoTime(), 36);
        List<String> channels = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
            channels.add("resume-" + run + "-" + c);
        }
        List<Client> all = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < clients; i++) {
            byte[] id = new byte[16];
            random.nextBytes(id);
            List<String> mine = new ArrayList<>();
            for (int k = 0; k < PER_CLIENT; k++) {
                mine.add(channels.get((i * PER_CLIENT + k) % CHANNELS));
            }
            all.add(new Client(Base64.getUrlEncoder().withoutPadding().encodeToString(id), mine));
        }

        ServerCost.Snapshot start = ServerCost.snapshot(gateway, services.redis);
        connectAll(all, port, resumable, 1);
        ServerCost.Snapshot connected = ServerCost.snapshot(gateway, services.redis);
        all.forEach(c -> c.socket.abort());
        awaitGauge(services.ports.gatewayManagement(), "presence_connections", 0);
        Thread.sleep(1000); // the closes' own work (recording positions) settles
        ServerCost.Snapshot dropped = ServerCost.snapshot(gateway, services.redis);

        for (int e = 1; e <= events; e++) {
            var result = backend.trigger(channels, "e", Map.of("n", e));
            if (result.getHttpStatus() != 200) {
                throw new IllegalStateException("trigger answered " + result.getHttpStatus() + ": " + result.getMessage());
            }
        }
        ServerCost.Snapshot triggered = ServerCost.snapshot(gateway, services.redis);
        connectAll(all, port, resumable, 2);
        int expected = resumable ? PER_CLIENT * events : 0;
        long deadline = System.nanoTime() + CEILING.toNanos();
        for (Client c : all) {
            while (c.counted() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a client counted " + c.counted() + " of " + expected + " missed events");
                }
                Thread.sleep(5);
            }
        }
        ServerCost.Snapshot reconnected = ServerCost.snapshot(gateway, services.redis);
        int replayed = all.stream().mapToInt(Client::counted).sum();
        int duplicates = all.stream().mapToInt(c -> c.duplicates).sum();
        all.forEach(c -> c.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        awaitGauge(services.ports.gatewayManagement(), "presence_connections", 0);
        Thread.sleep(1000);
        if (duplicates > 0 || replayed != clients * expected) {
            throw new IllegalStateException("replayed " + replayed + " of " + clients * expected + ", " + duplicates + " twice");
        }
        Cost cost = new Cost(connected.cpu() - start.cpu(), dropped.cpu() - connected.cpu(), reconnected.cpu() - triggered.cpu(),
                connected.commands() - start.commands(), dropped.commands() - connected.commands(),
                reconnected.commands() - triggered.commands(), replayed);
        System.out.printf("  %-9s connect+subscribe %.2f CPU-s (%d redis commands); drop %.2f CPU-s (%d); reconnect+resume %.2f CPU-s (%d), "
                        + "%d events replayed, 0 twice%n", resumable ? "resumable" : "plain", cost.connectCpu(), cost.connectCommands(),
                cost.dropCpu(), cost.dropCommands(), cost.reconnectCpu(), cost.reconnectCommands(), replayed);
        return cost;
    }

    /** Opens every client's socket (resumable or plain), all at once, and subscribes it to its channels; waits for all answers. */
    private static void connectAll(List<Client> all, int port, boolean resumable, int subscriptionsEach) throws Exception {
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (Client c : all) {
            c.established = new CompletableFuture<>();
            String path = (resumable ? "/c/" + c.clientId : "") + "/app/app-key?protocol=7&client=bench&version=1";
            opening.add(HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + path), c)
                    .thenApply(ws -> c.socket = ws));
        }
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(CEILING.toSeconds(), TimeUnit.SECONDS);
        for (Client c : all) {
            c.established.get(CEILING.toSeconds(), TimeUnit.SECONDS);
            for (String channel : c.channels) {
                synchronized (c) {
                    c.socket.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}", true).join();
                }
            }
        }
        long deadline = System.nanoTime() + CEILING.toNanos();
        for (Client c : all) {
            while (c.subscriptions() < PER_CLIENT * subscriptionsEach) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("subscriptions not confirmed within " + CEILING);
                }
                Thread.sleep(2);
            }
        }
    }

    /** Waits until the sum of a gauge's series on the gateway's management port is {@code value}. */
    private static void awaitGauge(int managementPort, String name, double value) throws Exception {
        long deadline = System.nanoTime() + CEILING.toNanos();
        while (System.nanoTime() < deadline) {
            if (AppsBenchmark.gauge(managementPort, name) == value) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not reach " + value);
    }

    private static void summary(List<Cost[]> rounds, int clients, int events) {
        System.out.printf("summary: %d clients x %d channels, %d missed events per channel (%d per client); gateway CPU ms per client, "
                + "redis commands per client; R resumable, P plain%n", clients, PER_CLIENT, events, PER_CLIENT * events);
        System.out.println("| round | connect R | connect P | R/P | drop R | drop P | R/P | reconnect R | reconnect P | resume cost per client "
                + "| redis per reconnect R | P |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        int n = 1;
        for (Cost[] r : rounds) {
            Cost res = r[0];
            Cost plain = r[1];
            System.out.printf("| %d | %.3f | %.3f | %.2fx | %.3f | %.3f | %.2fx | %.3f | %.3f | %.3f ms | %.1f | %.1f |%n", n++,
                    res.connectCpu() * 1000 / clients, plain.connectCpu() * 1000 / clients, res.connectCpu() / plain.connectCpu(),
                    res.dropCpu() * 1000 / clients, plain.dropCpu() * 1000 / clients, res.dropCpu() / plain.dropCpu(),
                    res.reconnectCpu() * 1000 / clients, plain.reconnectCpu() * 1000 / clients,
                    (res.reconnectCpu() - plain.reconnectCpu()) * 1000 / clients,
                    res.reconnectCommands() / (double) clients, plain.reconnectCommands() / (double) clients);
        }
    }
}
