package io.presence.presence.webhook;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceStoreConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The webhook queue's backlog as metrics, read from Redis every few seconds by every presence-service replica (so it
 * is reported even while no replica sends): {@code webhooks_backlog} (entries not yet finished, read or not) and
 * {@code webhooks_backlog_age_seconds} (how long the oldest of them has waited, on the Redis clock; 0 when none).
 * The alert {@code PresenceWebhooksBehind} (k8s/monitoring) fires on the age.
 */
@ApplicationScoped
@Startup
public class WebhookBacklog {

    private static final Logger LOG = Logger.getLogger(WebhookBacklog.class);
    private static final RedisScript BACKLOG = RedisScript.load("webhook_backlog.lua");
    private static final long EVERY_MILLIS = 5_000;

    private final Redis redis;
    private final Vertx vertx;
    private final String stream;
    private final long timer;
    private volatile long entries;
    private volatile long ageMillis;

    /** The reply of {@code redis/webhook_backlog.lua}, read in this one place: {@code {entries, age of the oldest in ms}}. */
    private record Backlog(long entries, long ageMillis) {

        static Backlog decode(Response reply) {
            return new Backlog(reply.get(0).toLong(), reply.get(1).toLong());
        }
    }

    public WebhookBacklog(Redis redis, Vertx vertx, PresenceStoreConfig store, MeterRegistry metrics) {
        this.redis = redis;
        this.vertx = vertx;
        this.stream = store.schema().webhooks();
        Gauge.builder("webhooks.backlog", this, b -> b.entries)
                .description("Webhooks in the Redis queue not yet delivered or dropped (read or not)").register(metrics);
        Gauge.builder("webhooks.backlog.age", this, b -> b.ageMillis / 1000.0).baseUnit("seconds")
                .description("How long the oldest webhook in the Redis queue has waited (0 when none)").register(metrics);
        this.timer = vertx.setPeriodic(0, EVERY_MILLIS, id -> refresh().subscribe().with(ok -> { }));
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    /** Reads the backlog now (the gauges show it from then on); a failed reading keeps the last one and is logged. */
    public Uni<Void> refresh() {
        return BACKLOG.run(redis, List.of(stream), List.of()).map(Backlog::decode).invoke(backlog -> {
            entries = backlog.entries();
            ageMillis = backlog.ageMillis();
        }).onFailure().invoke(err -> LOG.debugf("webhook backlog not read: %s", err.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Entries in the queue at the last reading. */
    public long entries() {
        return entries;
    }

    /** Age of the oldest entry at the last reading, in milliseconds. */
    public long ageMillis() {
        return ageMillis;
    }
}
