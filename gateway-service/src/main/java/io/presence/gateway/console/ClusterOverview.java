package io.presence.gateway.console;

import io.presence.common.app.App;
import io.presence.common.app.AppRegistry;
import io.presence.common.console.ServiceReport;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisHashes;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.gateway.console.ConsoleViews.Instance;
import io.presence.gateway.console.ConsoleViews.Overview;
import io.presence.gateway.console.ConsoleViews.Sample;
import io.presence.gateway.node.NodeIdentity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The whole cluster as the console shows it, from the reports every service instance writes to Redis
 * ({@link ServiceReport}) and the gateways' leases: sampled every {@link ServiceReport#EVERY} into a short history,
 * with rates worked out from consecutive counter values of the same instance.
 */
@ApplicationScoped
public class ClusterOverview {

    private static final Logger LOG = Logger.getLogger(ClusterOverview.class);
    private static final String GATEWAY = "gateway-service";

    private final Redis redis;
    private final PresenceSchema schema;
    private final PresenceStoreConfig store;
    private final ConsoleConfig config;
    private final Vertx vertx;
    private final AppRegistry apps;
    private final AppUsage usage;
    private final ArrayDeque<Sample> history = new ArrayDeque<>();
    /** Per instance: its latest report, and the counter rates between it and the report before. */
    private final Map<String, Instance> latestReport = new HashMap<>();
    private final Map<String, Map<String, Double>> rates = new HashMap<>();
    private volatile List<Instance> instances = List.of();
    private long timer = -1;

    public ClusterOverview(Redis redis, PresenceStoreConfig store, ConsoleConfig config, Vertx vertx, AppRegistry apps,
                           AppUsage usage, ServiceReport report, NodeIdentity node) {
        this.redis = redis;
        this.schema = store.schema();
        this.store = store;
        this.config = config;
        this.vertx = vertx;
        this.apps = apps;
        this.usage = usage;
        report.field("node", node::id);
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            timer = vertx.setPeriodic(ServiceReport.EVERY.toMillis(), id -> sample().subscribe().with(ok -> { },
                    err -> LOG.debugf("console sample failed: %s", err.toString())));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The latest sample (taken now if there is none yet), the history and every instance. */
    public Uni<Overview> overview() {
        Uni<Void> ready = latest() == null ? sample() : Uni.createFrom().voidItem();
        return ready.map(done -> {
            synchronized (this) {
                return new Overview(history.peekLast(), List.copyOf(history), instances, apps.all().stream().map(App::id).toList());
            }
        });
    }

    /** Every service instance that reported in the last minutes, as of the latest sample. */
    public Uni<List<Instance>> instances() {
        return overview().map(Overview::instances);
    }

    private synchronized Sample latest() {
        return history.peekLast();
    }

    /** Reads every report, the gateways' leases and Redis's round trip, and appends a sample. */
    Uni<Void> sample() {
        long now = System.currentTimeMillis();
        long pingStart = System.nanoTime();
        return RedisCalls.send(redis, Command.PING)
                .map(pong -> (System.nanoTime() - pingStart) / 1e6)
                .chain(redisMs -> RedisCalls.send(redis, Command.ZREMRANGEBYSCORE, schema.consoleReports(), "-inf", Long.toString(now))
                        .chain(() -> RedisCalls.send(redis, Command.ZRANGE, schema.consoleReports(), "0", "-1"))
                        .chain(names -> readAll(RedisCalls.strings(names), now))
                        .invoke(read -> record(now, redisMs, read)))
                .replaceWithVoid();
    }

    private Uni<List<Instance>> readAll(List<String> names, long now) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Instance>> reads = new ArrayList<>();
        for (String name : names) {
            reads.add(RedisCalls.send(redis, Command.HGETALL, schema.consoleReport(name)).chain(hash -> instance(name, hash, now)));
        }
        return Uni.join().all(reads).andCollectFailures()
                .map(list -> list.stream().filter(i -> i != null).sorted(Comparator.comparing(Instance::service)
                        .thenComparing(Instance::startedAt)).toList());
    }

    private Uni<Instance> instance(String name, Response hash, long now) {
        Map<String, String> fields = new HashMap<>();
        if (hash != null) {
            RedisHashes.forEach(hash, fields::put);
        }
        if (fields.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        Map<String, Double> meters = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            if (key.startsWith("m.")) {
                meters.put(key.substring(2), parseDouble(value));
            }
        });
        String service = fields.getOrDefault("service", "?");
        String node = fields.get("node");
        long reportedAt = (long) parseDouble(fields.get("at"));
        long started = (long) parseDouble(fields.get("started"));
        boolean late = now - reportedAt > 3 * ServiceReport.EVERY.toMillis();
        if (fields.containsKey("stopped")) {
            return Uni.createFrom().item(new Instance(name, service, node, fields.get("version"), started, reportedAt, "stopped", null, meters));
        }
        if (!GATEWAY.equals(service) || node == null) {
            return Uni.createFrom().item(new Instance(name, service, node, fields.get("version"), started, reportedAt,
                    late ? "gone" : "live", null, meters));
        }
        return RedisCalls.send(redis, Command.PTTL, schema.nodeLease(node)).map(pttl -> {
            long left = pttl == null ? -2 : pttl.toLong();
            String state = left < 0 ? "reaped" : late ? "stalled" : "live";
            Long age = left < 0 ? null : Math.max(0, store.leaseTtl().toMillis() - left);
            return new Instance(name, service, node, fields.get("version"), started, reportedAt, state, age, meters);
        });
    }

    private synchronized void record(long now, double redisMs, List<Instance> read) {
        read.forEach(this::remember);
        latestReport.keySet().retainAll(read.stream().map(Instance::instance).toList());
        rates.keySet().retainAll(latestReport.keySet());
        Map<String, Integer> byNode = new LinkedHashMap<>();
        int connections = 0;
        int subscriptions = 0;
        int members = 0;
        double lag = 0;
        Double databaseMs = null;
        for (Instance i : read) {
            boolean counts = i.state().equals("live") || i.state().equals("stalled");
            if (counts && GATEWAY.equals(i.service())) {
                int n = (int) meter(i, "presence.connections");
                byNode.put(i.node() != null ? i.node() : i.instance(), n); // a first report may precede its node field
                connections += n;
                subscriptions += (int) meter(i, "presence.subscriptions");
                members += (int) meter(i, "presence.members");
            }
            if (counts) {
                // what the sender holds, and what waits unread in the queue behind it
                lag = Math.max(lag, Math.max(meter(i, "webhooks.queue.lag"), meter(i, "webhooks.backlog.age")));
                if (i.meters().containsKey("database.latency")) {
                    double ms = meter(i, "database.latency") * 1000;
                    databaseMs = databaseMs == null ? ms : Math.max(databaseMs, ms);
                }
            }
        }
        Sample sample = new Sample(now, connections, byNode, subscriptions, members,
                rate(read, "events.published"), rate(read, "events.delivered"), rate(read, "messages.persisted"),
                rate(read, "webhooks.delivered"), rate(read, "webhooks.retried"), rate(read, "webhooks.failed"), lag, redisMs, databaseMs);
        history.addLast(sample);
        long keep = Math.max(1, config.history().toMillis() / ServiceReport.EVERY.toMillis());
        while (history.size() > keep) {
            history.removeFirst();
        }
        instances = read;
        usage.sample(now, read.stream().filter(i -> i.state().equals("live") || i.state().equals("stalled")).toList());
    }

    /** Keeps an instance's new report and the counter rates since its report before (a restart counts from 0). */
    private void remember(Instance report) {
        Instance last = latestReport.get(report.instance());
        if (last != null && report.reportedAt() <= last.reportedAt()) {
            return;
        }
        latestReport.put(report.instance(), report);
        if (last == null) {
            return;
        }
        double seconds = (report.reportedAt() - last.reportedAt()) / 1000.0;
        Map<String, Double> perSecond = new HashMap<>();
        report.meters().forEach((name, value) -> perSecond.put(name, Math.max(0, value - meter(last, name)) / seconds));
        rates.put(report.instance(), perSecond);
    }

    /** The sum of a counter's latest rate over the instances still reporting. */
    private double rate(List<Instance> read, String meter) {
        double sum = 0;
        for (Instance i : read) {
            if (i.state().equals("live") || i.state().equals("stalled")) {
                sum += rates.getOrDefault(i.instance(), Map.of()).getOrDefault(meter, 0.0);
            }
        }
        return sum;
    }

    private static double meter(Instance instance, String name) {
        return instance.meters().getOrDefault(name, 0.0);
    }

    private static double parseDouble(String text) {
        try {
            return text == null ? 0 : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
