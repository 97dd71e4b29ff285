package io.presence.systemtest.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.pusher.PusherApp;
import io.presence.infra.Infrastructure;
import io.presence.infra.InfraSettings;
import io.presence.infra.SuiteEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;

/**
 * Load tool: starts presence-service and one gateway as processes on the discovered Redis, then measures
 * (1) N users joining one presence channel, every join announced to everyone already there;
 * (2) fan-out latency of events triggered through the signed HTTP API to S subscribers;
 * (3) gateway RSS per idle connection. Reports numbers only; see docs/benchmarks.md.
 * Usage: system-tests/bench.sh [joinUsers=2000] [fanoutSubscribers=1000] [idleConnections=10000]
 */
public final class PresenceBenchmark {

    private static final PusherApp APP = new PusherApp("app-id", "app-key", "app-secret");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final java.util.regex.Pattern COUNT = java.util.regex.Pattern.compile("count\\\\\":(\\d+)");
    private static final java.util.regex.Pattern MESSAGE_ID = java.util.regex.Pattern.compile("\\\\\"id\\\\\":\\\\\"(\\d+)");
    /** Joins in flight at once during the join storm. */
    private static final int JOIN_CONCURRENCY = 64;
    private static final int FANOUT_EVENTS = 200;
    private static final int FANOUT_WARM_UP = 20;

    /** A socket that only counts frames and records fan-out latencies; no JSON parsing on the hot path. */
    static final class CountingSocket implements WebSocket.Listener {
        final AtomicInteger memberAdded = new AtomicInteger();
        final AtomicInteger memberRemoved = new AtomicInteger();
        final AtomicInteger ticks = new AtomicInteger();
        /** Message id -> times received, when this socket accounts for messages (else null). */
        volatile java.util.concurrent.ConcurrentHashMap<Long, Integer> messageIds;
        final AtomicInteger outOfOrder = new AtomicInteger();
        private long lastMessageId;
        /** Members listed in subscription_succeeded (presence channels). */
        volatile int initialCount;
        final CompletableFuture<String> established = new CompletableFuture<>();
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        final ConcurrentLinkedQueue<Long> latenciesNanos;
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        CountingSocket(ConcurrentLinkedQueue<Long> latenciesNanos) {
            this.latenciesNanos = latenciesNanos;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                if (frame.contains("member_added")) {
                    memberAdded.incrementAndGet();
                } else if (frame.contains("member_removed")) {
                    memberRemoved.incrementAndGet();
                } else if (frame.contains("\"bench\"") || frame.contains("\\\"bench\\\"")) {
                    ticks.incrementAndGet();
                    if (messageIds != null && frame.startsWith("{\"event\":\"message\"")) {
                        account(frame);
                    }
                    long sent = parseSent(frame);
                    if (sent > 0 && latenciesNanos != null) {
                        latenciesNanos.add(System.nanoTime() - sent);
                    }
                } else if (frame.contains("subscription_succeeded")) {
                    java.util.regex.Matcher count = COUNT.matcher(frame);
                    initialCount = count.find() ? Integer.parseInt(count.group(1)) : 0;
                    subscribed.complete(null);
                } else if (frame.contains("connection_established")) {
                    try {
                        established.complete(JSON.readTree(JSON.readTree(frame).get("data").asText()).get("socket_id").asText());
                    } catch (Exception e) {
                        established.completeExceptionally(e);
                    }
                }
            }
            ws.request(1);
            return null;
        }

        /** Counts a message frame by its id (data is a JSON string: the id appears as \\"id\\":\\"123\\"). */
        private void account(String frame) {
            Matcher id = MESSAGE_ID.matcher(frame);
            if (id.find()) {
                long value = Long.parseLong(id.group(1));
                messageIds.merge(value, 1, Integer::sum);
                synchronized (this) {
                    if (value < lastMessageId) {
                        outOfOrder.incrementAndGet();
                    }
                    lastMessageId = Math.max(lastMessageId, value);
                }
            }
        }

        static long parseSent(String frame) {
            int i = frame.indexOf("sent");
            if (i < 0) {
                return -1;
            }
            int start = i + 4;
            while (start < frame.length() && !Character.isDigit(frame.charAt(start))) {
                start++;
            }
            int end = start;
            while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
                end++;
            }
            return end > start ? Long.parseLong(frame.substring(start, end)) : -1;
        }
    }

    private PresenceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int joinUsers = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int fanoutSubscribers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int idleConnections = args.length > 2 ? Integer.parseInt(args[2]) : 10000;
        Path root = Path.of(System.getProperty("suite.root", ".")).toAbsolutePath().normalize();
        Path work = root.resolve("system-tests/target/bench");
        Files.createDirectories(work);

        io.presence.infra.RedisProcess ownRedis = ServerCost.privateRedis(work);
        try {
            try (Infrastructure infra = Infrastructure.open(InfraSettings.fromEnvironment(), work.resolve("infra"), System.out::println)) {
                io.presence.infra.RedisEndpoint redis = ownRedis != null ? ownRedis.endpoint() : infra.redis();
                SuiteEnvironment.Ports ports = new SuiteEnvironment.Ports(Infrastructure.freePort(), Infrastructure.freePort(),
                        Infrastructure.freePort(), Infrastructure.freePort());
                String prefix = "bench-" + UUID.randomUUID();
                Map<String, String> presenceEnv = new LinkedHashMap<>(SuiteEnvironment.forService("presence-service", null, redis, ports, work));
                presenceEnv.put("PRESENCE_STORE_KEY_PREFIX", prefix);
                Map<String, String> gatewayEnv = new LinkedHashMap<>(SuiteEnvironment.forService("gateway-service", null, redis, ports, work));
                gatewayEnv.put("PRESENCE_STORE_KEY_PREFIX", prefix);
                gatewayEnv.put("GATEWAY_WEBSOCKET_MAX_SUBSCRIPTIONS_PER_CONNECTION", "10");
                Process presence = start(root, "presence-service", presenceEnv, work, "-Xmx256m");
                Process gateway = start(root, "gateway-service", gatewayEnv, work, "-Xmx1g");
                try {
                    awaitReady(ports.presence());
                    awaitReady(ports.gateway());
                    System.out.printf("machine: %d cores, %s; gateway pid %d; %s%n", Runtime.getRuntime().availableProcessors(),
                            System.getProperty("os.name"), gateway.pid(), redis);
                    Map<String, Long> servers = new LinkedHashMap<>();
                    servers.put("gateway", gateway.pid());
                    servers.put("presence-service", presence.pid());
                    System.out.printf("gateway RSS at rest: %d MB%n", ServerCost.rssKb(gateway.pid()) / 1024);
                    joinStorm(ports.gateway(), joinUsers, ServerCost.start(servers, redis));
                    fanOut(ports.gateway(), fanoutSubscribers, servers, redis);
                    idle(ports.gateway(), gateway.pid(), idleConnections);
                } finally {
                    gateway.destroy();
                    presence.destroy();
                    gateway.waitFor(20, TimeUnit.SECONDS);
                    presence.waitFor(20, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (ownRedis != null) {
                ownRedis.close();
            }
        }
    }

    static CountingSocket open(int port, ConcurrentLinkedQueue<Long> latencies) {
        return open(port, APP.key(), latencies);
    }

    /** A counting socket on the app with this key. */
    static CountingSocket open(int port, String appKey, ConcurrentLinkedQueue<Long> latencies) {
        CountingSocket listener = new CountingSocket(latencies);
        listener.socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/app/" + appKey + "?protocol=7"), listener).join();
        return listener;
    }

    private static void joinPresence(CountingSocket s, String channel, String userId) throws Exception {
        String socketId = s.established.get(30, TimeUnit.SECONDS);
        String channelData = "{\"user_id\":\"" + userId + "\",\"user_info\":{\"id\":\"" + userId + "\"}}";
        String auth = APP.auth(PusherApp.presenceChannelText(socketId, channel, channelData));
        s.socket.sendText(JSON.writeValueAsString(Map.of("event", "pusher:subscribe", "data",
                Map.of("channel", channel, "auth", auth, "channel_data", channelData))), true);
    }

    /**
     * N users join one presence channel, at most {@link #JOIN_CONCURRENCY} joins in flight; done when every
     * socket knows all N members (listed in its subscription_succeeded or announced by member_added).
     */
    private static void joinStorm(int port, int users, ServerCost cost) throws Exception {
        String channel = "presence-bench-join";
        List<CountingSocket> sockets = new ArrayList<>();
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(JOIN_CONCURRENCY);
        long start = System.nanoTime();
        for (int i = 0; i < users; i++) {
            inFlight.acquire();
            CountingSocket s = open(port, null);
            sockets.add(s);
            joinPresence(s, channel, "u" + i);
            s.subscribed.whenComplete((ok, err) -> inFlight.release());
        }
        inFlight.acquire(JOIN_CONCURRENCY);
        long joined = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long complete = 0;
        while (System.nanoTime() < deadline) {
            complete = sockets.stream().filter(s -> s.initialCount + s.memberAdded.get() >= users).count();
            if (complete == users) {
                break;
            }
            Thread.sleep(10);
        }
        long done = System.nanoTime();
        Thread.sleep(1000); // anything more that would come (duplicates) comes now
        long announced = sockets.stream().mapToLong(s -> s.memberAdded.get()).sum();
        long listed = sockets.stream().mapToLong(s -> s.initialCount).sum();
        long due = (long) users * (users - 1) / 2;
        long over = sockets.stream().filter(s -> s.initialCount + s.memberAdded.get() > users).count();
        long under = sockets.stream().filter(s -> s.initialCount + s.memberAdded.get() < users).count();
        long removed = sockets.stream().mapToLong(s -> s.memberRemoved.get()).sum();
        System.out.printf("join: %d users (%d joins in flight) subscribed in %.2f s; every socket knew all %d members after %.2f s%n",
                users, JOIN_CONCURRENCY, (joined - start) / 1e9, users, (done - start) / 1e9);
        // each socket is told every member once: in its list or announced after it; a list that already names users who
        // joined just after it (joins race) leaves fewer announcements than the sequential N(N-1)/2, never more
        System.out.printf("join accounting: listed %d + member_added %d = %d, due N^2 = %d: %s; sockets told of more than %d members: %d,"
                        + " of fewer: %d; member_removed: %d; member_added vs sequential N(N-1)/2 = %d: %+d%n",
                listed, announced, listed + announced, (long) users * users, listed + announced == (long) users * users ? "exact" : "OFF",
                users, over, under, removed, due, announced - due);
        System.out.println(cost.report(users, "join"));
        sockets.forEach(s -> s.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        Thread.sleep(3000);
    }

    /** S subscribers on one channel; events triggered through the signed HTTP API carry their send time. */
    private static void fanOut(int port, int subscribers, Map<String, Long> servers, io.presence.infra.RedisEndpoint redis)
            throws Exception {
        String channel = "bench-fanout";
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        List<CountingSocket> sockets = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            CountingSocket s = open(port, latencies);
            s.established.get(30, TimeUnit.SECONDS);
            s.socket.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}", true);
            s.subscribed.get(30, TimeUnit.SECONDS);
            sockets.add(s);
        }
        int events = FANOUT_EVENTS;
        ServerCost cost = ServerCost.start(servers, redis);
        for (int i = 0; i < events + FANOUT_WARM_UP; i++) {
            if (i == FANOUT_WARM_UP) {
                latencies.clear(); // the first events warm up the JIT
            }
            String data = JSON.writeValueAsString("{\"bench\":true,\"sent\":" + System.nanoTime() + "}");
            String body = "{\"name\":\"tick\",\"channel\":\"" + channel + "\",\"data\":" + data + "}";
            trigger(port, body);
            Thread.sleep(20);
        }
        Thread.sleep(2000);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long delivered = sockets.stream().mapToLong(s -> s.ticks.get()).sum();
        long dueDeliveries = (long) (events + FANOUT_WARM_UP) * subscribers;
        System.out.printf("fan-out: %d events x %d subscribers, %d deliveries measured; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                events, subscribers, sorted.size(), pct(sorted, 50), pct(sorted, 99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6);
        System.out.printf("fan-out accounting: %d frames delivered, %d due: %s%n", delivered, dueDeliveries,
                delivered == dueDeliveries ? "exact" : "OFF BY " + (delivered - dueDeliveries));
        System.out.println(cost.report(events + FANOUT_WARM_UP, "event"));
        sockets.forEach(s -> s.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        Thread.sleep(2000);
    }

    /** RSS of the gateway with C idle connections, against its RSS before. */
    private static void idle(int port, long gatewayPid, int connections) throws Exception {
        System.gc();
        Thread.sleep(1000);
        long before = ServerCost.rssKb(gatewayPid);
        List<CountingSocket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            sockets.add(open(port, null));
            if (i % 500 == 499) {
                sockets.get(i).established.get(30, TimeUnit.SECONDS);
            }
        }
        for (CountingSocket s : sockets) {
            s.established.get(30, TimeUnit.SECONDS);
        }
        Thread.sleep(3000);
        long after = ServerCost.rssKb(gatewayPid);
        System.out.printf("idle: %d connections; gateway RSS %d MB -> %d MB, %.1f KB per connection%n",
                connections, before / 1024, after / 1024, (after - before) / (double) connections);
        sockets.forEach(s -> s.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
    }

    private static void trigger(int port, String body) throws Exception {
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        String query = "auth_key=app-key&auth_timestamp=" + (System.currentTimeMillis() / 1000) + "&auth_version=1.0&body_md5=" + md5;
        String signature = APP.sign("POST\n/apps/app-id/events\n" + query);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/apps/app-id/events?" + query
                        + "&auth_signature=" + signature))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("trigger answered " + response.statusCode() + ": " + response.body());
        }
    }

    static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }


    static Process start(Path root, String service, Map<String, String> env, Path work, String heap) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), heap,
                "-jar", root.resolve(service + "/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve(service + ".log").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        // stopping the tool (Ctrl-C, timeout) must not leave services running
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        return process;
    }

    static void awaitReady(int port) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("service on port " + port + " not ready");
    }
}
