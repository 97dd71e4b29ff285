package io.presence.systemtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.pusher.Channels;
import io.presence.infra.PostgresEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load tool for messaging: starts user-service, message-service and one gateway as processes on the discovered
 * PostgreSQL and Redis, puts U users in one room, subscribes S of them to the room channel through the gateway
 * (with real /pusher/auth signatures), then has C clients send messages as fast as they are acknowledged
 * (closed loop, POST through the gateway) for T seconds. Measures messages persisted and delivered per second and
 * the time from POST to delivery at each subscriber; then, in the same run, the raw single-row INSERT rate of the
 * same PostgreSQL with pgbench at the same concurrency. Reports numbers only; see docs/benchmarks.md.
 * Usage: system-tests/bench.sh messages [senders=16] [subscribers=10] [seconds=20]
 */
public final class MessageBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /**
     * Long enough for the JIT of four JVMs sharing two cores to settle (20 s was not: C2 still compiled in the
     * measured window); BENCH_WARM_UP_SECONDS overrides it.
     */
    private static final int WARM_UP_SECONDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARM_UP_SECONDS", "60"));

    private record User(String id, String token) {
    }

    private MessageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int senders = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        try (BenchServices services = BenchServices.open("bench-messages", "bench_msg_")) {
            for (String service : List.of("user-service", "message-service", "gateway-service")) {
                // registering the load's users is not what is measured
                services.start(service, Map.of("USERS_PASSWORD_BCRYPT_COST", "4"), "-Xmx512m");
            }
            services.awaitReady();
            System.out.printf("machine: %d cores, %s, %s; %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"), System.getProperty("java.vm.version"), services.db);
            Map<String, Long> servers = new LinkedHashMap<>();
            servers.put("user-service", services.pid("user-service"));
            servers.put("message-service", services.pid("message-service"));
            servers.put("gateway", services.pid("gateway-service"));
            double rate = run(services.ports.gateway(), senders, subscribers, seconds, servers, services.redis);
            double raw = pgbench(services.infra.postgres(), senders, seconds);
            System.out.printf("ratio: %.0f acknowledged msg/s / %.0f pgbench inserts/s = %.2fx (%d senders)%n", rate, raw,
                    rate / raw, senders);
        }
    }

    /** Runs the load; returns the acknowledged messages per second of the measured window. */
    private static double run(int port, int senders, int subscribers, int seconds, Map<String, Long> servers,
                            io.presence.infra.RedisEndpoint redis) throws Exception {
        String base = "http://127.0.0.1:" + port;
        List<User> users = new ArrayList<>();
        for (int i = 0; i < Math.max(senders, subscribers) + 1; i++) {
            users.add(register(base, "bench" + i + "_" + UUID.randomUUID().toString().substring(0, 6)));
        }
        String room = post(base + "/api/rooms", users.get(0).token(), "{\"name\":\"bench\",\"visibility\":\"public\"}").get("id").asText();
        for (User u : users.subList(1, users.size())) {
            send(HttpRequest.newBuilder(URI.create(base + "/api/rooms/" + room + "/members/me"))
                    .header("Authorization", "Bearer " + u.token()).PUT(HttpRequest.BodyPublishers.noBody()).build(), 200);
        }
        String channel = Channels.roomChannel(Long.parseLong(room));
        ConcurrentLinkedQueue<Long> deliveries = new ConcurrentLinkedQueue<>();
        List<PresenceBenchmark.CountingSocket> sockets = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            PresenceBenchmark.CountingSocket socket = subscribe(port, channel, users.get(i + 1).token(), deliveries);
            socket.messageIds = new java.util.concurrent.ConcurrentHashMap<>();
            sockets.add(socket);
        }
        ConcurrentLinkedQueue<Long> acknowledgedIds = new ConcurrentLinkedQueue<>();

        ConcurrentLinkedQueue<Long> postLatencies = new ConcurrentLinkedQueue<>();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        CountDownLatch done = new CountDownLatch(senders);
        for (int s = 0; s < senders; s++) {
            User sender = users.get(s + 1);
            int index = s;
            pool.submit(() -> {
                try {
                    for (long n = 0; running.get(); n++) {
                        long start = System.nanoTime();
                        // CountingSocket takes frames with the word "bench" quoted for benchmark frames and reads the
                        // number after the first "sent": the text is just "bench", the key carries the send time
                        String body = "{\"text\":\"bench\",\"clientMessageId\":\"sent-" + start + "-" + index + "-" + n + "\"}";
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/rooms/" + room + "/messages"))
                                .header("Authorization", "Bearer " + sender.token()).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            acknowledgedIds.add(Long.parseLong(JSON.readTree(r.body()).get("id").asText()));
                        }
                        if (measuring.get()) {
                            if (r.statusCode() == 201) {
                                acknowledged.incrementAndGet();
                                postLatencies.add(System.nanoTime() - start);
                            } else {
                                refused.incrementAndGet();
                            }
                        }
                    }
                } catch (Exception e) {
                    System.err.println("sender " + index + " stopped: " + e);
                } finally {
                    done.countDown();
                }
            });
        }
        Thread.sleep(WARM_UP_SECONDS * 1000L);
        measuring.set(true);
        deliveries.clear();
        ServerCost cost = ServerCost.start(servers, redis);
        double postgresBefore = postgresCpuSeconds();
        long started = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        String costLine = cost.report(Math.max(1, acknowledged.get()), "message");
        double postgresCpu = postgresCpuSeconds() - postgresBefore;
        long elapsed = System.nanoTime() - started;
        running.set(false);
        done.await(30, TimeUnit.SECONDS);
        pool.shutdown();
        accounting(acknowledgedIds, sockets);

        List<Long> post = sorted(postLatencies);
        List<Long> delivery = sorted(deliveries);
        double secs = elapsed / 1e9;
        long received = delivery.size();
        System.out.printf("messages: %d senders, %d subscribers, %d s measured after %d s warm-up%n", senders, subscribers, seconds, WARM_UP_SECONDS);
        System.out.printf("persisted: %d acknowledged (%.0f msg/s), %d refused; POST p50 %.2f ms, p99 %.2f ms%n",
                acknowledged.get(), acknowledged.get() / secs, refused.get(), PresenceBenchmark.pct(post, 50), PresenceBenchmark.pct(post, 99));
        System.out.printf("delivered: %d deliveries (%.0f msg/s per subscriber, %.0f frames/s); POST->delivery p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                received, received / (double) subscribers / secs, received / secs, PresenceBenchmark.pct(delivery, 50),
                PresenceBenchmark.pct(delivery, 99), delivery.isEmpty() ? 0 : delivery.get(delivery.size() - 1) / 1e6);
        System.out.println(costLine);
        System.out.printf("postgres: %.2f CPU-s in all its processes (%.3f ms per message; machine-wide, other users' queries included)%n",
                postgresCpu, postgresCpu * 1000 / Math.max(1, acknowledged.get()));
        sockets.forEach(s -> s.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        return acknowledged.get() / secs;
    }

    /**
     * Every acknowledged message (warm-up included) against what each subscriber received, by message id: missing,
     * received more than once, received after a higher id. Waits up to 30 s for the tail.
     */
    private static void accounting(ConcurrentLinkedQueue<Long> acknowledged, List<PresenceBenchmark.CountingSocket> sockets)
            throws InterruptedException {
        java.util.Set<Long> due = new java.util.HashSet<>(acknowledged);
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline
                && sockets.stream().anyMatch(s -> !s.messageIds.keySet().containsAll(due))) {
            Thread.sleep(100);
        }
        Thread.sleep(1000); // duplicates, if any, arrive now
        long missing = 0;
        long duplicated = 0;
        long outOfOrder = 0;
        long unexpected = 0;
        for (PresenceBenchmark.CountingSocket s : sockets) {
            for (Long id : due) {
                int times = s.messageIds.getOrDefault(id, 0);
                missing += times == 0 ? 1 : 0;
                duplicated += Math.max(0, times - 1);
            }
            unexpected += s.messageIds.keySet().stream().filter(id -> !due.contains(id)).count();
            outOfOrder += s.outOfOrder.get();
        }
        System.out.printf("delivery accounting: %d acknowledged messages x %d subscribers; missing %d, duplicated %d, out of id order %d,"
                + " not acknowledged %d%n", due.size(), sockets.size(), missing, duplicated, outOfOrder, unexpected);
    }

    /** Raw single-row inserts into a one-table scratch database of the same server, at the same concurrency; inserts/s. */
    private static double pgbench(PostgresEndpoint server, int clients, int seconds) throws Exception {
        PostgresEndpoint scratch = server.withDatabase("bench_pg_" + UUID.randomUUID().toString().replace("-", ""));
        scratch.ensureDatabase();
        Path script = Files.createTempFile("pgbench-insert", ".sql");
        try {
            try (var c = scratch.connect(scratch.database()); var s = c.createStatement()) {
                s.execute("CREATE TABLE rows (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room_id BIGINT NOT NULL,"
                        + " body VARCHAR(4000) NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            }
            Files.writeString(script, "INSERT INTO rows (room_id, body) VALUES (1, 'bench 1234567890123 from 1');\n");
            ProcessBuilder builder = new ProcessBuilder("pgbench", "-n", "-c", Integer.toString(clients), "-j", "2",
                    "-T", Integer.toString(seconds), "-f", script.toString(), "-h", scratch.host(), "-p", Integer.toString(scratch.port()),
                    "-U", scratch.user(), scratch.database()).redirectErrorStream(true);
            builder.environment().put("PGPASSWORD", scratch.password());
            double postgresBefore = postgresCpuSeconds();
            Process p = builder.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            double postgresCpu = postgresCpuSeconds() - postgresBefore;
            Matcher count = Pattern.compile("number of transactions actually processed: ([0-9]+)").matcher(output);
            long inserts = count.find() ? Long.parseLong(count.group(1)) : 0;
            System.out.printf("pgbench postgres: %.2f CPU-s in all its processes (%.3f ms per insert)%n", postgresCpu,
                    postgresCpu * 1000 / Math.max(1, inserts));
            Matcher tps = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(output);
            Matcher latency = Pattern.compile("latency average = ([0-9.]+) ms").matcher(output);
            boolean measured = tps.find();
            System.out.printf("pgbench: single-row INSERT, %d clients, %d s: %s inserts/s, latency average %s ms%n", clients, seconds,
                    measured ? tps.group(1) : "? (" + output.strip() + ")", latency.find() ? latency.group(1) : "?");
            return measured ? Double.parseDouble(tps.group(1)) : Double.NaN;
        } finally {
            Files.deleteIfExists(script);
            scratch.dropDatabase();
        }
    }

    /**
     * CPU-seconds of every process named postgres (postmaster, backends, WAL writer, checkpointer), from /proc, with
     * the reaped children's time (cutime, cstime) of each, so backends that exited in between (pgbench's) count too.
     */
    static double postgresCpuSeconds() {
        double total = 0;
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path dir : entries.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    if (Files.readString(dir.resolve("comm")).strip().startsWith("postgres")) {
                        String stat = Files.readString(dir.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        // after the name: utime, stime, cutime, cstime are fields 14-17 of stat (1-based)
                        total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                                + Long.parseLong(fields[14])) / 100.0;
                    }
                } catch (IOException | RuntimeException gone) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return total;
    }

    private static PresenceBenchmark.CountingSocket subscribe(int port, String channel, String token,
                                                              ConcurrentLinkedQueue<Long> deliveries) throws Exception {
        PresenceBenchmark.CountingSocket s = PresenceBenchmark.open(port, deliveries);
        String socketId = s.established.get(30, TimeUnit.SECONDS);
        HttpResponse<String> auth = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pusher/auth"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("socket_id=" + socketId + "&channel_name="
                        + URLEncoder.encode(channel, StandardCharsets.UTF_8))).build(), 200);
        JsonNode signed = JSON.readTree(auth.body());
        s.socket.sendText(JSON.writeValueAsString(Map.of("event", "pusher:subscribe", "data", Map.of("channel", channel,
                "auth", signed.get("auth").asText(), "channel_data", signed.get("channel_data").asText()))), true);
        s.subscribed.get(30, TimeUnit.SECONDS);
        return s;
    }

    private static User register(String base, String handle) throws Exception {
        String credentials = "{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}";
        send(HttpRequest.newBuilder(URI.create(base + "/api/users")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(credentials)).build(), 201);
        JsonNode login = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/api/sessions"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", "10.9." + (handle.hashCode() & 0xff) + ".1")
                .POST(HttpRequest.BodyPublishers.ofString(credentials)).build(), 201).body());
        return new User(login.get("user").get("id").asText(), login.get("token").asText());
    }

    static JsonNode post(String url, String token, String body) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), 201).body());
    }

    private static HttpResponse<String> send(HttpRequest request, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private static List<Long> sorted(ConcurrentLinkedQueue<Long> values) {
        List<Long> list = new ArrayList<>(values);
        Collections.sort(list);
        return list;
    }
}
