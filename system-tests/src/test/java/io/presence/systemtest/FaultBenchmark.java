package io.presence.systemtest;

import io.presence.infra.RedisProcess;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Fault benchmark: how long recovery takes, the figures the fault tests no longer assert (they only check that it
 * happens, exactly, within generous ceilings). With the default lease settings, on the discovered stores (and a
 * private redis-server for the restart), each scenario once per round:
 * <ul>
 *   <li>a gateway with 200 present users killed with SIGKILL: until every watcher on another gateway was told each
 *       member_removed, and until the HTTP API agrees;</li>
 *   <li>a gateway paused 10 s (SIGSTOP): until its members were reaped, then after SIGCONT until they were announced
 *       again; and paused 2 s: how many member events anyone got (must be 0);</li>
 *   <li>a gateway with 50 users dying while every presence-service replica is down (10 s): from the replicas' return
 *       until every watcher was told each member_removed;</li>
 *   <li>Redis restarted without persistence under two gateways with 200 users: until the HTTP API lists everyone again
 *       on both, and until both gateways have settled (no channel repairing, no suspect waiting);</li>
 *   <li>PostgreSQL cut away from message-service under 4 senders: until readiness is DOWN, how long refusals (503)
 *       take, and from the restore until sends are acknowledged again; any 500 is counted.</li>
 * </ul>
 * Usage: {@code system-tests/bench.sh faults [rounds=3]}; loopback only; stops by itself. Prints one line per figure
 * and round, then min / median / max.
 */
public final class FaultBenchmark {

    private static final int USERS = 200;
    private static final int USERS_ON_C = 50;
    private static final int WATCHERS = 3;
    private static final Duration CEILING = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, List<Long>> FIGURES = new LinkedHashMap<>();

    private FaultBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        for (int round = 1; round <= rounds; round++) {
            System.out.println("[faults] round " + round + " of " + rounds);
            gatewayFaults();
            redisRestart();
            postgresOutage();
        }
        System.out.println("[faults] figure: min / median / max over " + rounds + " rounds");
        FIGURES.forEach((figure, values) -> {
            List<Long> sorted = values.stream().sorted().toList();
            System.out.printf("[faults] %-55s %6d / %6d / %6d%n", figure, sorted.get(0), sorted.get(sorted.size() / 2),
                    sorted.get(sorted.size() - 1));
        });
        System.exit(0);
    }

    private static void record(String figure, long value) {
        FIGURES.computeIfAbsent(figure, f -> new ArrayList<>()).add(value);
        System.out.printf("[faults] %s: %d%n", figure, value);
    }

    private static long since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Polls until the condition holds; fails past the ceiling. */
    private static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + CEILING.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not happen within " + CEILING);
            }
            Thread.sleep(10);
        }
    }

    private static void gatewayFaults() throws Exception {
        try (ServiceSuite suite = ServiceSuite.onDiscoveredStores("bench-faults", null)) {
            suite.start("presence-service", Map.of());
            suite.startReplica("presence-service", "presence-service-2", Map.of());
            ServiceProcess a = suite.startGateway("gateway-a", Map.of());
            suite.startGateway("gateway-b", Map.of());
            suite.startGateway("gateway-c", Map.of());
            suite.awaitReady();
            String channel = "presence-bench-" + UUID.randomUUID();
            List<RawSocket> watchers = new ArrayList<>();
            for (int i = 0; i < WATCHERS; i++) {
                RawSocket w = new RawSocket(a.port);
                w.join(channel, "watcher-" + i);
                watchers.add(w);
            }
            Set<String> watchersOnly = new HashSet<>();
            for (int i = 0; i < WATCHERS; i++) {
                watchersOnly.add("watcher-" + i);
            }
            List<RawSocket> users = joinOn(suite.service("gateway-b"), channel, "user-", USERS);
            List<RawSocket> onC = joinOn(suite.service("gateway-c"), channel, "c-user-", USERS_ON_C);
            String joined = GatewayApi.mark(a, channel); // after every join was announced
            for (RawSocket w : watchers) {
                w.framesUntil(joined);
            }
            suite.service("gateway-b").pause();
            Thread.sleep(2_000);
            suite.service("gateway-b").resume();
            String marker = GatewayApi.mark(a, channel);
            long told = 0;
            for (RawSocket w : watchers) {
                told += w.framesBefore(marker).stream().filter(f -> f.path("event").asText().contains("member")).count();
            }
            record("gateway paused 2 s: member events told (must be 0)", told);

            long paused = System.nanoTime();
            suite.service("gateway-b").pause();
            await(watchers, "pusher_internal:member_removed", USERS);
            record("gateway paused 10 s: reaped at every watcher (ms)", since(paused));
            Thread.sleep(Math.max(0, 10_000 - since(paused)));
            long resumed = System.nanoTime();
            suite.service("gateway-b").resume();
            await(watchers, "pusher_internal:member_added", USERS);
            record("gateway paused 10 s: announced again after resume (ms)", since(resumed));

            long killed = System.nanoTime();
            suite.service("gateway-b").kill();
            await(watchers, "pusher_internal:member_removed", USERS);
            record("gateway killed: member_removed at every watcher (ms)", since(killed));
            until("the HTTP API", () -> usersOf(a, channel).size() == WATCHERS + USERS_ON_C);
            record("gateway killed: HTTP API agrees (ms)", since(killed));

            // a gateway dies while every presence-service replica is down: nothing can happen until they are back
            suite.service("presence-service").kill();
            suite.service("presence-service-2").kill();
            suite.service("gateway-c").kill();
            Thread.sleep(10_000); // the outage: past C's lease
            suite.startAgain("presence-service");
            long back = System.nanoTime();
            await(watchers, "pusher_internal:member_removed", USERS_ON_C);
            record("gateway died during a presence-service outage: removed after it was back (ms)", since(back));
            suite.startAgain("presence-service-2");
            until("the HTTP API", () -> usersOf(a, channel).equals(watchersOnly));
            users.forEach(RawSocket::close);
            onC.forEach(RawSocket::close);
            watchers.forEach(RawSocket::close);
        }
    }

    private static List<RawSocket> joinOn(ServiceProcess gateway, String channel, String prefix, int count) throws Exception {
        List<RawSocket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RawSocket s = new RawSocket(gateway.port);
            s.join(channel, prefix + i);
            sockets.add(s);
        }
        return sockets;
    }

    /** Reads each watcher's frames until it got {@code count} of this event. */
    private static void await(List<RawSocket> watchers, String event, int count) throws Exception {
        for (RawSocket w : watchers) {
            w.framesUntilCount(event, count, CEILING.toMillis());
        }
    }

    private static Set<String> usersOf(ServiceProcess gateway, String channel) {
        try {
            return GatewayApi.channelUsers(gateway, channel);
        } catch (Exception e) {
            return Set.of();
        }
    }

    private static void redisRestart() throws Exception {
        Path dir = ServiceSuite.ROOT.resolve("system-tests/target/bench-redis-" + UUID.randomUUID());
        try (RedisProcess redis = RedisProcess.start(dir); ServiceSuite suite = new ServiceSuite("bench-restart", null, redis.endpoint())) {
            suite.start("presence-service", Map.of());
            ServiceProcess a = suite.startGateway("gateway-a", Map.of());
            ServiceProcess b = suite.startGateway("gateway-b", Map.of());
            suite.awaitReady();
            String channel = "presence-bench-" + UUID.randomUUID();
            List<RawSocket> sockets = new ArrayList<>();
            Set<String> everyone = new HashSet<>();
            for (int i = 0; i < USERS; i++) {
                RawSocket s = new RawSocket((i % 2 == 0 ? a : b).port);
                s.join(channel, "user-" + i);
                sockets.add(s);
                everyone.add("user-" + i);
            }
            long restarted = System.nanoTime();
            redis.restart();
            until("both gateways list everyone", () -> usersOf(a, channel).equals(everyone) && usersOf(b, channel).equals(everyone));
            record("Redis restarted: HTTP API lists everyone on both gateways (ms)", since(restarted));
            GatewayApi.mark(a, channel);
            until("both gateways settled", () -> unsettled(suite, "gateway-a") == 0 && unsettled(suite, "gateway-b") == 0);
            record("Redis restarted: both gateways settled (ms)", since(restarted));
            sockets.forEach(RawSocket::close);
        }
    }

    private static double unsettled(ServiceSuite suite, String gateway) {
        try {
            return Metrics.sum(suite.managementPort(gateway), "events_channels_unsettled");
        } catch (Exception e) {
            return -1;
        }
    }

    private static void postgresOutage() throws Exception {
        try (ServiceSuite suite = ServiceSuite.onDiscoveredStores("bench-pg", null).proxied().startAll(Map.of())) {
            String base = suite.gateway("");
            Accounts.Account ana = Accounts.register(base, "ana");
            String room = ana.as().body("{\"name\":\"outage\",\"visibility\":\"public\"}").post(base + "/api/rooms")
                    .then().statusCode(201).extract().path("id");
            ConcurrentLinkedQueue<long[]> answers = new ConcurrentLinkedQueue<>(); // {status, millis, nanoTime}
            AtomicBoolean sending = new AtomicBoolean(true);
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread sender = new Thread(() -> {
                    while (sending.get()) {
                        long started = System.nanoTime();
                        int status = send(base, room, ana);
                        answers.add(new long[] {status, since(started), System.nanoTime()});
                    }
                });
                sender.start();
                senders.add(sender);
            }
            until("sends flow", () -> answers.stream().filter(x -> x[0] == 201).count() >= 50);
            TcpProxy postgres = suite.postgresProxy("message-service");
            long cut = System.nanoTime();
            postgres.cut();
            until("readiness DOWN", () -> suite.service("message-service").readiness() == 503);
            record("PostgreSQL cut: message-service readiness DOWN (ms)", since(cut));
            until("refusals", () -> answers.stream().anyMatch(x -> x[0] == 503 && x[2] > cut));
            Thread.sleep(5_000); // refusals for a while
            long restored = System.nanoTime();
            postgres.restore();
            until("acknowledged again", () -> answers.stream().anyMatch(x -> x[0] == 201 && x[2] - x[1] * 1_000_000 > restored));
            record("PostgreSQL restored: sends acknowledged again (ms)", since(restored));
            sending.set(false);
            for (Thread sender : senders) {
                sender.join(60_000);
            }
            List<Long> refusals = answers.stream().filter(x -> x[0] == 503).map(x -> x[1]).sorted().toList();
            record("PostgreSQL cut: refusals (503) answered, median (ms)", refusals.isEmpty() ? -1 : refusals.get(refusals.size() / 2));
            record("PostgreSQL cut: refusals (503) answered, slowest (ms)", refusals.isEmpty() ? -1 : refusals.get(refusals.size() - 1));
            record("PostgreSQL cut: answers other than 201 and 503", answers.stream().filter(x -> x[0] != 201 && x[0] != 503).count());
        }
    }

    /** One send as a client makes it; its status (-1 when no answer came). */
    private static int send(String base, String room, Accounts.Account author) {
        String body = "{\"text\":\"hello\",\"clientMessageId\":\"" + UUID.randomUUID() + "\"}";
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/rooms/" + room + "/messages"))
                    .header("Authorization", "Bearer " + author.token()).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
