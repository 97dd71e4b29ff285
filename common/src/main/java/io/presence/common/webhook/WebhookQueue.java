package io.presence.common.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.app.AppRegistry;
import io.presence.common.event.EventsConfig;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Where webhooks wait for presence-service to send them: one Redis stream ({@link PresenceSchema#webhooks()}), which
 * survives a restart of the sender. Whoever decides a webhook-worthy transition (the presence scripts through
 * {@code ChannelPresence}, the subscriber counts, a gateway for client events and cache misses) enqueues it right
 * away, and only when the app has a receiver for that kind. Enqueueing is retried with backoff; a retry keeps the
 * webhook's id, so the sender recognises a copy. A webhook that still cannot be queued is counted and logged.
 * The queue holds at most {@link WebhooksConfig#queueLength()} entries: when it is full, each new webhook drops the
 * oldest one (the newest are what a receiver needs to catch up with the present); one the sender had not read yet is
 * lost, counted in {@code webhooks_overflowed_total}.
 */
@ApplicationScoped
public class WebhookQueue {

    private static final Logger LOG = Logger.getLogger(WebhookQueue.class);
    private static final int ATTEMPTS = 20;
    /** The consumer group presence-service reads the queue with. */
    public static final String GROUP = "senders";
    private static final RedisScript ENQUEUE = RedisScript.load("webhook_enqueue.lua");
    /** The console's copy keeps about this many of the latest webhooks. */
    private static final String CONSOLE_LENGTH = "1000";
    private static final long MIN_DEPARTURE_MEMORY_MS = 10_000;
    private static final long OVERFLOW_LOG_EVERY_MS = 60_000;

    private final Redis redis;
    private final String stream;
    private final String consoleLog;
    private final AppRegistry apps;
    private final EventsConfig.Publisher retry;
    private final Counter queued;
    private final Counter lost;
    private final Counter overflowed;
    private final String queueLength;
    /** When an overflow was last logged: a full queue is logged once a minute, not once per webhook. */
    private final AtomicLong lastOverflowLog = new AtomicLong(Long.MIN_VALUE / 2);
    private final String departureMemory;

    public WebhookQueue(Redis redis, PresenceStoreConfig store, AppRegistry apps, EventsConfig events, WebhooksConfig settings,
                        MeterRegistry metrics) {
        this.redis = redis;
        this.stream = store.schema().webhooks();
        this.consoleLog = store.schema().consoleWebhooks();
        this.apps = apps;
        this.retry = events.publisher();
        this.queued = Counter.builder("webhooks.queued").description("Webhooks put in the queue").register(metrics);
        this.lost = Counter.builder("webhooks.lost").description("Webhooks that could not be queued (Redis unreachable)").register(metrics);
        this.overflowed = Counter.builder("webhooks.overflowed")
                .description("Unread webhooks dropped from the full queue (the oldest first) to make room for new ones").register(metrics);
        this.queueLength = Integer.toString(settings.queueLength());
        // a departure must be remembered for as long as a return may still cancel it, with room for a late enqueue
        this.departureMemory = Long.toString(Math.max(MIN_DEPARTURE_MEMORY_MS, 2 * settings.grace().toMillis()));
    }

    /**
     * How long (ms, as script argument) the presence and occupancy scripts remember a departure, so that the next
     * arrival's webhook can name it (see {@link Webhook.Transition}).
     */
    public String departureMemory() {
        return departureMemory;
    }

    /** True when the app has a receiver for this kind of webhook. */
    public boolean wanted(String appId, String kind) {
        return apps.byId(appId).filter(app -> app.enabled() && !app.webhookUrls(kind).isEmpty()).isPresent();
    }

    /** Queues a webhook when its app wants it; completes once queued (never fails: a loss is counted and logged). */
    public Uni<Void> enqueue(Webhook webhook) {
        if (!wanted(webhook.appId(), webhook.name())) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = List.of(queueLength, GROUP, "id", webhook.id(), "app", webhook.appId(),
                "at", Long.toString(webhook.atMs()), "event", webhook.event().toString(),
                "decided", Long.toString(webhook.transition().at()), "follows", Long.toString(webhook.transition().follows()));
        return ENQUEUE.run(redis, List.of(stream), args)
                .onFailure().retry().withBackOff(retry.initialBackoff(), retry.maxBackoff()).atMost(ATTEMPTS)
                .invoke(dropped -> {
                    queued.increment();
                    if (dropped != null && dropped.toLong() > 0) {
                        overflowed.increment(dropped.toLong());
                        long now = System.currentTimeMillis();
                        long last = lastOverflowLog.get();
                        if (now - last >= OVERFLOW_LOG_EVERY_MS && lastOverflowLog.compareAndSet(last, now)) {
                            LOG.warnf("the webhook queue is full (%s entries): unread webhooks are dropped, the oldest first "
                                    + "(webhooks_overflowed_total counts them; logged once a minute)", queueLength);
                        }
                    }
                    shown(webhook);
                })
                .onFailure().invoke(err -> {
                    lost.increment();
                    LOG.errorf("webhook %s of %s on %s lost: Redis did not take it (%s)", webhook.name(), webhook.appId(),
                            webhook.channel(), err.toString());
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** A copy for the operator console's channel log, which cannot read the queue (the sender deletes what it sent). */
    private void shown(Webhook webhook) {
        RedisCalls.send(redis, Command.XADD, consoleLog, "MAXLEN", "~", CONSOLE_LENGTH, "*", "app", webhook.appId(),
                        "at", Long.toString(webhook.atMs()), "event", webhook.event().toString())
                .subscribe().with(ok -> { }, err -> LOG.debugf("webhook not copied for the console: %s", err.toString()));
    }

    /** Queues without waiting (the caller goes on; the queue retries by itself). */
    public void send(Webhook webhook) {
        enqueue(webhook).subscribe().with(ok -> { });
    }
}
