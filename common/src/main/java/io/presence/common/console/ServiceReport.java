package io.presence.common.console;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.presence.common.redis.RedisCalls;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This service instance's report to the operator console, written to Redis every {@link #EVERY}: who it is, since
 * when, and the current value of the few meters the console charts ({@link #METERS}; a meter this service does not
 * have is left out). Every instance of every service reports, so any gateway can show the whole cluster; a report
 * outlives its instance by {@link #KEEP}, so a node that died is still listed (and shown as gone). Every meter with an
 * {@code app} tag is reported per app as well ({@link #appField}), for the console's usage of each app.
 */
@ApplicationScoped
public class ServiceReport {

    /** How often the report is written. */
    public static final Duration EVERY = Duration.ofSeconds(2);
    /** How long a report stays after its instance stopped writing it. */
    public static final Duration KEEP = Duration.ofMinutes(10);
    /** The meters reported, each as the sum over its tags (counters: total so far; gauges: current value). */
    public static final List<String> METERS = List.of("presence.connections", "presence.channels", "presence.subscriptions", "presence.members",
            "events.published", "events.delivered", "messages.persisted", "webhooks.delivered", "webhooks.retried",
            "webhooks.failed", "webhooks.queue.lag", "webhooks.backlog.age", "database.latency");

    /** The tag that names the app a meter counts for. */
    public static final String APP_TAG = "app";
    /** The prefix of the per-app fields: {@code m.app.<meter>[;<tag>=<value>...]@<app id>}. */
    public static final String APP_PREFIX = "app.";

    private static final Logger LOG = Logger.getLogger(ServiceReport.class);

    private final Redis redis;
    private final PresenceSchema schema;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final String service;
    private final String version;
    private final String instance;
    private final long started = System.currentTimeMillis();
    private final Map<String, Supplier<String>> fields = new LinkedHashMap<>();
    private long timer = -1;

    public ServiceReport(Redis redis, PresenceStoreConfig store, MeterRegistry registry, Vertx vertx,
                         @ConfigProperty(name = "quarkus.application.name") String service,
                         @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.redis = redis;
        this.schema = store.schema();
        this.registry = registry;
        this.vertx = vertx;
        this.service = service;
        this.version = version;
        this.instance = service + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Adds a fact of this instance to every report (a gateway adds its node id). */
    public synchronized void field(String name, Supplier<String> value) {
        fields.put(name, value);
    }

    /** This instance's name in the reports. */
    public String instance() {
        return instance;
    }

    void start(@Observes StartupEvent event) {
        write();
        timer = vertx.setPeriodic(EVERY.toMillis(), id -> write());
    }

    /** A last report that says this instance stopped, so the console does not take it for alive until it expires. */
    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        try {
            RedisCalls.send(redis, Command.HSET, schema.consoleReport(instance), "stopped", Long.toString(System.currentTimeMillis()))
                    .await().atMost(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            LOG.debugf("final console report not written: %s", e.toString());
        }
    }

    /** The report as it is written now: facts, then one {@code m.<meter>} field per meter this service has. */
    public synchronized Map<String, String> current() {
        Map<String, String> report = new LinkedHashMap<>();
        report.put("service", service);
        report.put("instance", instance);
        report.put("version", version);
        report.put("started", Long.toString(started));
        report.put("at", Long.toString(System.currentTimeMillis()));
        fields.forEach((name, value) -> report.put(name, value.get()));
        for (String name : METERS) {
            List<Meter> meters = List.copyOf(registry.find(name).meters());
            if (meters.isEmpty()) {
                continue;
            }
            double sum = 0;
            boolean known = false;
            for (Meter meter : meters) {
                for (Measurement measurement : meter.measure()) {
                    if (Double.isFinite(measurement.getValue())) { // a gauge not measured yet is NaN: left out
                        sum += measurement.getValue();
                        known = true;
                    }
                    break; // the first measurement is the count of a counter, the value of a gauge
                }
            }
            if (known) {
                report.put("m." + name, Double.toString(sum));
            }
        }
        for (Meter meter : registry.getMeters()) {
            String app = meter.getId().getTag(APP_TAG);
            if (app != null) {
                for (Measurement measurement : meter.measure()) {
                    if (Double.isFinite(measurement.getValue())) {
                        report.merge("m." + appField(meter.getId()), Double.toString(measurement.getValue()),
                                (a, b) -> Double.toString(Double.parseDouble(a) + Double.parseDouble(b)));
                    }
                    break;
                }
            }
        }
        return report;
    }

    /** The report field of a per-app meter: its name, its other tags in order, and the app last (after the first '@'). */
    public static String appField(Meter.Id id) {
        StringBuilder field = new StringBuilder(APP_PREFIX).append(id.getName());
        for (Tag tag : id.getTagsAsIterable()) {
            if (!tag.getKey().equals(APP_TAG)) {
                field.append(';').append(tag.getKey()).append('=').append(tag.getValue());
            }
        }
        return field.append('@').append(id.getTag(APP_TAG)).toString();
    }

    /** Three separate calls: the two keys are in different cluster slots. */
    private void write() {
        String key = schema.consoleReport(instance);
        Request hset = Request.cmd(Command.HSET).arg(key);
        current().forEach((field, value) -> hset.arg(field).arg(value));
        long expires = System.currentTimeMillis() + KEEP.toMillis();
        redis.send(hset)
                .chain(() -> RedisCalls.send(redis, Command.PEXPIRE, key, Long.toString(KEEP.toMillis())))
                .chain(() -> RedisCalls.send(redis, Command.ZADD, schema.consoleReports(), Long.toString(expires), instance))
                .subscribe().with(ok -> { }, err -> LOG.debugf("console report not written: %s", err.toString()));
    }
}
