package io.presence.systemtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import io.presence.common.pusher.PusherApp;
import io.presence.infra.SuiteEnvironment;
import io.presence.systemtest.bench.PresenceBenchmark.CountingSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Load tool for apps as tenants (issue #25): starts user-service (it owns the app store) and one gateway as processes
 * on the discovered PostgreSQL and Redis, creates 100 apps through the operator API, then runs two shapes of the same
 * load for R rounds (A B, B A, A B...) after one unmeasured warm-up round of each: A, one app with N connections spread
 * over 100 public channels; B, 100 apps of N/100 connections, each app's on one channel (the same name in every app). For
 * each shape it reads the gateway's own CPU-seconds from /proc for (a) connecting and subscribing all N sockets and
 * (b) 20 events triggered per channel through the signed HTTP API (pusher-http-java, each app's own key and secret)
 * until every socket counted each of its events exactly once; then closes every socket and waits until the gateway
 * counts none. Reports CPU per connection and per delivered event, each round's ratio B/A and their medians.
 * Usage: system-tests/bench.sh apps [rounds=2] [connections=10000]
 */
public final class AppsBenchmark {

    private static final int APPS = 100;
    private static final int CHANNELS = 100;
    private static final int EVENTS_PER_CHANNEL = 20;
    /** Connects whose subscription is not yet confirmed, at most. */
    private static final int CONNECTS_IN_FLIGHT = 256;
    private static final int TRIGGER_THREADS = 4;
    private static final Duration CEILING = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One channel of one app and the sockets subscribed to it. */
    private record Group(PusherApp app, String channel, List<CountingSocket> sockets) {
    }

    /** What one shape cost the gateway: CPU-seconds of connect + subscribe and of the events, and what was counted. */
    private record Cost(double connectCpu, double connectSeconds, double eventCpu, double eventSeconds, int connections,
                        long deliveries, double load) {

        double perConnectionMs() {
            return connectCpu * 1000 / connections;
        }

        double perDeliveryUs() {
            return eventCpu * 1e6 / deliveries;
        }
    }

    private AppsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 10000;
        if (rounds < 1 || connections < APPS || connections % APPS != 0) {
            throw new IllegalArgumentException("rounds >= 1 and connections a multiple of " + APPS);
        }
        String password = "console-" + UUID.randomUUID();
        try (BenchServices services = BenchServices.open("bench-apps", "bench_apps_")) {
            services.start("user-service", Map.of(), "-Xmx256m");
            services.start("gateway-service", Map.of("PRESENCE_CONSOLE_PASSWORD", password), "-Xmx1g");
            services.awaitReady();
            long gateway = services.pid("gateway-service");
            System.out.printf("machine: %d cores, %s, %s; gateway pid %d; load average %s; %s; %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("java.vm.version"),
                    gateway, loadAverage(), services.db, services.redis);
            run(services.ports, gateway, services.redis, password, rounds, connections);
        }
    }

    private static void run(SuiteEnvironment.Ports ports, long gateway, io.presence.infra.RedisEndpoint redis, String password,
                            int rounds, int connections) throws Exception {
        int port = ports.gateway();
        List<PusherApp> apps = createApps(port, password);
        Map<String, Pusher> backends = new LinkedHashMap<>();
        for (PusherApp app : apps) {
            Pusher backend = new Pusher(app.id(), app.key(), app.secret());
            backend.setHost("127.0.0.1:" + port);
            backend.setEncrypted(false);
            backends.put(app.id(), backend);
        }
        try {
            double idleBefore = ServerCost.cpuSeconds(gateway);
            Thread.sleep(5000);
            System.out.printf("gateway at rest: %.3f CPU-s per second (timers, app store checks)%n",
                    (ServerCost.cpuSeconds(gateway) - idleBefore) / 5);
            Shape a = new Shape("A", "1 app, " + CHANNELS + " channels");
            Shape b = new Shape("B", APPS + " apps, 1 channel each");
            System.out.println("warm-up (not counted):");
            shape(a, oneApp(apps.get(0)), connections, ports, gateway, redis, backends);
            shape(b, manyApps(apps), connections, ports, gateway, redis, backends);
            List<Cost[]> measured = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                // A B, then B A: the gateway still gets cheaper from shape to shape (JIT), which would favour whichever
                // shape always came second
                boolean oneAppFirst = round % 2 == 1;
                System.out.println("round " + round + (oneAppFirst ? " (A, B):" : " (B, A):"));
                Cost first = oneAppFirst ? shape(a, oneApp(apps.get(0)), connections, ports, gateway, redis, backends)
                        : shape(b, manyApps(apps), connections, ports, gateway, redis, backends);
                Cost second = oneAppFirst ? shape(b, manyApps(apps), connections, ports, gateway, redis, backends)
                        : shape(a, oneApp(apps.get(0)), connections, ports, gateway, redis, backends);
                measured.add(oneAppFirst ? new Cost[] {first, second} : new Cost[] {second, first});
            }
            summary(measured, connections);
        } finally {
            for (Pusher backend : backends.values()) {
                backend.close();
            }
        }
    }

    private record Shape(String name, String description) {
    }

    /** Shape A: the first app, one group per channel. */
    private static List<Group> oneApp(PusherApp app) {
        List<Group> groups = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
            groups.add(new Group(app, String.format("room-%02d", c), new ArrayList<>()));
        }
        return groups;
    }

    /** Shape B: every app, one channel each, the same name in every app (apps are separate namespaces). */
    private static List<Group> manyApps(List<PusherApp> apps) {
        return apps.stream().map(app -> new Group(app, "room-00", new ArrayList<>())).toList();
    }

    /** Creates the bench apps through the operator API and waits until the gateway accepts the last one's key. */
    private static List<PusherApp> createApps(int port, String password) throws Exception {
        List<PusherApp> apps = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < APPS; i++) {
            JsonNode app = MessageBenchmark.post("http://127.0.0.1:" + port + "/console/api/apps", password,
                    String.format("{\"id\":\"bench-%02d\"}", i));
            apps.add(new PusherApp(app.get("id").asText(), app.get("key").asText(), app.get("secret").asText()));
        }
        long created = System.nanoTime();
        PusherApp last = apps.get(apps.size() - 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            CountingSocket probe = PresenceBenchmark.open(port, last.key(), null);
            try {
                probe.established.get(2, TimeUnit.SECONDS);
                probe.socket.sendClose(WebSocket.NORMAL_CLOSURE, "known");
                break;
            } catch (TimeoutException | java.util.concurrent.ExecutionException refused) {
                probe.socket.abort();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the gateway did not learn app " + last.id() + " within 60 s");
                }
                Thread.sleep(200);
            }
        }
        System.out.printf("apps: %d created through the operator API in %.2f s; the gateway accepted the last one's key %.2f s later%n",
                APPS, (created - start) / 1e9, (System.nanoTime() - created) / 1e9);
        return apps;
    }

    /** Runs one shape: connect and subscribe all, trigger and count every event, close all; the gateway's CPU for each. */
    private static Cost shape(Shape shape, List<Group> groups, int connections, SuiteEnvironment.Ports ports, long gateway,
                              io.presence.infra.RedisEndpoint redis, Map<String, Pusher> backends) throws Exception {
        int port = ports.gateway();
        int perGroup = connections / groups.size();
        double load = loadAverage1();

        ServerCost connectCost = ServerCost.start(Map.of("gateway", gateway), redis);
        double cpu = ServerCost.cpuSeconds(gateway);
        long start = System.nanoTime();
        Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
        for (Group group : groups) {
            String subscribe = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + group.channel() + "\"}}";
            for (int i = 0; i < perGroup; i++) {
                acquire(inFlight, 1, "a subscription confirmed");
                CountingSocket s = PresenceBenchmark.open(port, group.app().key(), null);
                group.sockets().add(s);
                s.established.thenAccept(socketId -> s.socket.sendText(subscribe, true));
                s.subscribed.whenComplete((ok, err) -> inFlight.release());
            }
        }
        acquire(inFlight, CONNECTS_IN_FLIGHT, "every subscription confirmed");
        double connectCpu = ServerCost.cpuSeconds(gateway) - cpu;
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        String connectLine = connectCost.report(connections, "connection");

        ServerCost eventCost = ServerCost.start(Map.of("gateway", gateway), redis);
        cpu = ServerCost.cpuSeconds(gateway);
        start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(TRIGGER_THREADS);
        List<Future<?>> triggers = new ArrayList<>();
        try {
            for (int e = 0; e < EVENTS_PER_CHANNEL; e++) {
                for (Group group : groups) {
                    int n = e;
                    triggers.add(pool.submit(() -> {
                        Result result = backends.get(group.app().id()).trigger(group.channel(), "tick", Map.of("bench", true, "n", n));
                        if (result.getStatus() != Result.Status.SUCCESS) {
                            throw new IllegalStateException("trigger to " + group.app().id() + "/" + group.channel() + ": "
                                    + result.getHttpStatus() + " " + result.getMessage());
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> trigger : triggers) {
                trigger.get(CEILING.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<CountingSocket> sockets = groups.stream().flatMap(g -> g.sockets().stream()).toList();
        long deadline = System.nanoTime() + CEILING.toNanos();
        while (System.nanoTime() < deadline && sockets.stream().anyMatch(s -> s.ticks.get() < EVENTS_PER_CHANNEL)) {
            Thread.sleep(20);
        }
        double eventCpu = ServerCost.cpuSeconds(gateway) - cpu;
        double eventSeconds = (System.nanoTime() - start) / 1e9;
        String eventLine = eventCost.report(triggers.size(), "trigger");
        Thread.sleep(1000); // an event delivered twice, or to another app's channel of the same name, arrives now
        long delivered = sockets.stream().mapToLong(s -> s.ticks.get()).sum();
        long under = sockets.stream().filter(s -> s.ticks.get() < EVENTS_PER_CHANNEL).count();
        long over = sockets.stream().filter(s -> s.ticks.get() > EVENTS_PER_CHANNEL).count();
        long due = (long) connections * EVENTS_PER_CHANNEL;

        Cost cost = new Cost(connectCpu, connectSeconds, eventCpu, eventSeconds, connections, due, load);
        System.out.printf("  %s (%s): %d connections subscribed in %.1f s, gateway %.2f CPU-s = %.3f ms per connection%n",
                shape.name(), shape.description(), connections, connectSeconds, connectCpu, cost.perConnectionMs());
        System.out.println("    connect " + connectLine);
        System.out.printf("    %d triggers (%d per channel), %d deliveries due, %d counted (%s; sockets short %d, over %d) in %.1f s,"
                        + " gateway %.2f CPU-s = %.1f us per delivery; load average %.2f%n",
                triggers.size(), EVENTS_PER_CHANNEL, due, delivered, delivered == due && under == 0 && over == 0 ? "exact" : "OFF",
                under, over, eventSeconds, eventCpu, cost.perDeliveryUs(), load);
        System.out.println("    events " + eventLine);
        if (delivered != due || under != 0 || over != 0) {
            throw new IllegalStateException("shape " + shape.name() + ": deliveries not exact");
        }
        closeAll(sockets, ports.gatewayManagement());
        return cost;
    }

    private static void acquire(Semaphore semaphore, int permits, String what) throws InterruptedException {
        if (!semaphore.tryAcquire(permits, CEILING.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("not " + what + " within " + CEILING.toSeconds() + " s");
        }
    }

    /** Closes every socket and waits until the gateway's presence_connections gauge says none is left. */
    private static void closeAll(List<CountingSocket> sockets, int managementPort) throws Exception {
        sockets.forEach(s -> s.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        double left = Double.NaN;
        while (System.nanoTime() < deadline) {
            left = gauge(managementPort, "presence_connections");
            if (left == 0) {
                Thread.sleep(1000); // the closes' own work settles before the next shape is measured
                return;
            }
            Thread.sleep(200);
        }
        sockets.forEach(s -> s.socket.abort());
        throw new IllegalStateException("the gateway still counts " + left + " connections 60 s after closing them");
    }

    /** The sum of a gauge's series on the gateway's management port. */
    static double gauge(int managementPort, String name) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : response.body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static void summary(List<Cost[]> rounds, int connections) throws Exception {
        System.out.printf("summary: %d connections, %d events per channel; gateway CPU per connection (ms) and per delivered event (us)%n",
                connections, EVENTS_PER_CHANNEL);
        System.out.println("| round | A per connection | B per connection | B/A | A per delivery | B per delivery | B/A | load |");
        List<Double> connectRatios = new ArrayList<>();
        List<Double> eventRatios = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            Cost a = rounds.get(i)[0];
            Cost b = rounds.get(i)[1];
            double connectRatio = b.perConnectionMs() / a.perConnectionMs();
            double eventRatio = b.perDeliveryUs() / a.perDeliveryUs();
            connectRatios.add(connectRatio);
            eventRatios.add(eventRatio);
            System.out.printf("| %d | %.3f | %.3f | %.2f | %.1f | %.1f | %.2f | %.1f / %.1f |%n", i + 1, a.perConnectionMs(),
                    b.perConnectionMs(), connectRatio, a.perDeliveryUs(), b.perDeliveryUs(), eventRatio, a.load(), b.load());
        }
        System.out.printf("median B/A: %.2f per connection, %.2f per delivered event (target <= 1.0); load average now %s%n",
                median(connectRatios), median(eventRatios), loadAverage());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The 1, 5 and 15 minute load averages. */
    private static String loadAverage() throws Exception {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static double loadAverage1() throws Exception {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
}
