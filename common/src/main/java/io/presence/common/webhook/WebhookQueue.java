package io.presence.common.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.event.EventsConfig;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.common.pusher.PusherConfig;
import io.presence.common.redis.RedisCalls;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Where webhooks wait for presence-service to send them: one Redis stream ({@link PresenceSchema#webhooks()}), which
 * survives a restart of the sender. Whoever decides a webhook-worthy transition (the presence scripts through
 * {@code ChannelPresence}, the subscriber counts, a gateway for client events and cache misses) enqueues it right
 * away, and only when the app has a receiver for that kind. Enqueueing is retried with backoff; a retry keeps the
 * webhook's id, so the sender recognises a copy. A webhook that still cannot be queued is counted and logged.
 */
@ApplicationScoped
public class WebhookQueue {

    private static final Logger LOG = Logger.getLogger(WebhookQueue.class);
    private static final int ATTEMPTS = 20;
    /** The stream is trimmed (approximately) to this many entries, so an absent sender cannot fill Redis. */
    private static final String MAX_LENGTH = "1000000";
    /** The console's copy keeps about this many of the latest webhooks. */
    private static final String CONSOLE_LENGTH = "1000";
    private static final long MIN_DEPARTURE_MEMORY_MS = 10_000;

    private final Redis redis;
    private final String stream;
    private final String consoleLog;
    private final PusherConfig pusher;
    private final EventsConfig.Publisher retry;
    private final Counter queued;
    private final Counter lost;
    private final String departureMemory;

    public WebhookQueue(Redis redis, PresenceStoreConfig store, PusherConfig pusher, EventsConfig events, WebhooksConfig settings,
                        MeterRegistry metrics) {
        this.redis = redis;
        this.stream = store.schema().webhooks();
        this.consoleLog = store.schema().consoleWebhooks();
        this.pusher = pusher;
        this.retry = events.publisher();
        this.queued = Counter.builder("webhooks.queued").description("Webhooks put in the queue").register(metrics);
        this.lost = Counter.builder("webhooks.lost").description("Webhooks that could not be queued (Redis unreachable)").register(metrics);
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
        return pusher.webhooks(appId).wants(kind);
    }

    /** Queues a webhook when its app wants it; completes once queued (never fails: a loss is counted and logged). */
    public Uni<Void> enqueue(Webhook webhook) {
        if (!wanted(webhook.appId(), webhook.name())) {
            return Uni.createFrom().voidItem();
        }
        return RedisCalls.send(redis, Command.XADD, stream, "MAXLEN", "~", MAX_LENGTH, "*", "id", webhook.id(), "app", webhook.appId(),
                        "at", Long.toString(webhook.atMs()), "event", webhook.event().toString(),
                        "decided", Long.toString(webhook.transition().at()), "follows", Long.toString(webhook.transition().follows()))
                .onFailure().retry().withBackOff(retry.initialBackoff(), retry.maxBackoff()).atMost(ATTEMPTS)
                .invoke(ok -> {
                    queued.increment();
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
