package io.presence.common.event;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.presence.common.pusher.Channels;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema.ChannelKeys;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Publishes channel events and control commands to every gateway; every producer (gateways, message-service,
 * user-service, presence-service) publishes through it. Channel events are queued per channel and sent in order,
 * several at a time in one script call that gives each its sequence number (see {@code publish.lua}); a failed call
 * is retried with backoff until Redis takes it, and since publishing is idempotent by event id, a retry never
 * delivers an event twice. The queue is bounded: when it is full, publishing fails at once and the caller decides
 * (a backend answers 503). A place can be reserved first and its event released into it later, so a producer fixes the order of
 * events before it knows whether they happen (a transaction that may still roll back).
 * Presence events do not come through here: the presence scripts publish them in the step that decides them. Events
 * go by PUBLISH, or by SPUBLISH when pub/sub is sharded ({@link EventsConfig#pubsub()}).
 */
@ApplicationScoped
@Startup // its meters exist from the start, so dashboards find them before the first event
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private static final RedisScript PUBLISH = RedisScript.load("publish.lua");
    private static final int COMMAND_ATTEMPTS = 40;

    /** Publishing refused because too many events are waiting (backpressure). */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** A reserved place in a channel's order: release it to publish the event, cancel it to drop it. */
    public interface Ticket {
        /** The event for this place: it goes after every event reserved before it on the channel. */
        void release(ChannelEvent event);

        /** The event will not happen (ignored once released); later events no longer wait for it. */
        void cancel();

        /** Completes with the event's sequence number once Redis took it (never, if cancelled). */
        Uni<Long> published();
    }

    private final Redis redis;
    private final RedisScript publish;
    private final PresenceSchema schema;
    private final EventsConfig.Publisher settings;
    private final String ttl;
    private final StreamRetention retention;
    private final Counter published;
    private final Counter commands;
    private final Counter retries;
    private final Counter refused;
    private final Timer latency;

    /** Guarded by {@code this}. */
    private final Map<String, ChannelQueue> queues = new HashMap<>();
    /** Queues with events ready while every in-flight slot was taken; guarded by {@code this}. */
    private final Set<ChannelQueue> starved = new LinkedHashSet<>();
    private int queued;
    private int inFlight;

    public EventPublisher(Redis redis, PresenceStoreConfig store, EventsConfig events, StreamRetention retention, MeterRegistry metrics) {
        this.redis = redis;
        this.publish = PUBLISH.sharded(events.sharded());
        this.schema = store.schema();
        this.settings = events.publisher();
        this.ttl = Long.toString(events.sequenceTtl().toMillis());
        this.retention = retention;
        this.published = Counter.builder("events.published").tag("type", "channel").description("Channel events taken by Redis").register(metrics);
        this.commands = Counter.builder("events.published").tag("type", "control").description("Control commands taken by Redis").register(metrics);
        this.retries = Counter.builder("events.publish.retries").description("Failed publish calls that were retried").register(metrics);
        this.refused = Counter.builder("events.publish.refused").description("Events refused because the queue was full").register(metrics);
        metrics.gauge("events.publish.queued", this, EventPublisher::queued);
        this.latency = Timer.builder("events.publish.latency").description("From an event's release to Redis taking it")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(metrics);
    }

    /** Publishes an event on a channel; completes with its sequence number, or fails at once with {@link Refused}. */
    public Uni<Long> publish(String appId, String channel, ChannelEvent event) {
        Ticket ticket;
        try {
            ticket = reserve(appId, channel);
        } catch (Refused e) {
            return Uni.createFrom().failure(e);
        }
        ticket.release(event);
        return ticket.published();
    }

    /** Reserves the next place in the channel's order for an event; throws {@link Refused} when the queue is full. */
    public synchronized Ticket reserve(String appId, String channel) {
        if (queued >= settings.maxQueued()) {
            refused.increment();
            throw new Refused("more than " + settings.maxQueued() + " events are waiting to be published");
        }
        ChannelKeys keys = schema.channel(appId, channel);
        ChannelQueue queue = queues.computeIfAbsent(keys.bus(), b -> new ChannelQueue(appId, keys,
                Channels.isCache(channel) ? Long.toString(Channels.CACHE_TTL.toMillis()) : "0"));
        Pending pending = new Pending(queue);
        queue.waiting.add(pending);
        queued++;
        return pending;
    }

    /** True when at least this many more events fit in the queue (a producer's admission check). */
    public synchronized boolean hasRoom(int events) {
        return queued + events <= settings.maxQueued();
    }

    /** Events waiting to be published. */
    public synchronized int queued() {
        return queued;
    }

    /**
     * Sends a command to every gateway, retried with backoff for a while; fails when Redis stays unreachable. Always a
     * classic PUBLISH, even when events are sharded: commands are rare and meant for every gateway, and a Redis Cluster
     * carries a PUBLISH to every node, so a gateway hears them on whichever node it listens to.
     */
    public Uni<Void> command(ControlCommand command) {
        return RedisCalls.send(redis, Command.PUBLISH, schema.control(), EventCodec.encode(command))
                .onFailure().invoke(err -> retries.increment())
                .onFailure().retry().withBackOff(settings.initialBackoff(), settings.maxBackoff()).atMost(COMMAND_ATTEMPTS)
                .invoke(ok -> commands.increment())
                .replaceWithVoid();
    }

    private void release(Pending pending, ChannelEvent event) {
        String encoded = EventCodec.encode(event);
        synchronized (this) {
            if (pending.cancelled || pending.released) {
                return;
            }
            pending.event = event;
            pending.encoded = encoded;
            pending.released = true;
            pending.releasedAt = System.nanoTime();
            pump(pending.queue);
        }
    }

    private synchronized void cancel(Pending pending) {
        if (pending.cancelled || pending.released) {
            return;
        }
        pending.cancelled = true;
        pending.queue.waiting.remove(pending);
        queued--;
        pump(pending.queue);
    }

    /** Starts the queue's next call if it has released events at its head and a slot is free. Holds the lock. */
    private void pump(ChannelQueue queue) {
        if (!queue.sending.isEmpty()) {
            return;
        }
        if (queue.waiting.isEmpty()) {
            queues.remove(queue.keys.bus(), queue);
            starved.remove(queue);
            return;
        }
        if (!queue.waiting.peekFirst().released) {
            return;
        }
        if (inFlight >= settings.maxInFlight()) {
            starved.add(queue);
            return;
        }
        starved.remove(queue);
        Iterator<Pending> head = queue.waiting.iterator();
        while (head.hasNext() && queue.sending.size() < settings.maxBatch()) {
            Pending next = head.next();
            if (!next.released) {
                break;
            }
            queue.sending.add(next);
        }
        inFlight++;
        send(queue, new ArrayList<>(queue.sending), 0);
    }

    private void send(ChannelQueue queue, List<Pending> batch, int attempt) {
        List<String> args = new ArrayList<>(5 + batch.size() * 3);
        StreamRetention.Retention kept = retention.of(queue.appId);
        args.add(queue.keys.bus());
        args.add(ttl);
        args.add(Integer.toString(kept.maxEvents()));
        args.add(queue.cacheTtl);
        args.add(Long.toString(kept.maxAge().toMillis()));
        for (Pending p : batch) {
            args.add(p.event.id());
            args.add(p.event.durable() ? "1" : "0");
            args.add(p.encoded);
        }
        publish.run(redis, List.of(queue.keys.seq(), queue.keys.events(), queue.keys.ids(), queue.keys.cache(), queue.keys.floor()), args).subscribe().with(
                reply -> sent(queue, batch, reply),
                error -> {
                    retries.increment();
                    Duration wait = backoff(attempt);
                    if (attempt % 20 == 0) {
                        LOG.warnf("publishing %d events on %s failed (%s); retrying every %d ms until Redis takes them",
                                batch.size(), queue.keys.bus(), error.toString(), wait.toMillis());
                    }
                    Uni.createFrom().voidItem().onItem().delayIt().by(wait)
                            .subscribe().with(ok -> send(queue, batch, attempt + 1));
                });
    }

    private void sent(ChannelQueue queue, List<Pending> batch, Response reply) {
        synchronized (this) {
            for (int i = 0; i < batch.size(); i++) {
                queue.waiting.pollFirst(); // the batch is the head of the queue
            }
            queue.sending.clear();
            queued -= batch.size();
            inFlight--;
            pump(queue);
            if (!starved.isEmpty()) {
                for (ChannelQueue other : new ArrayList<>(starved)) {
                    if (inFlight >= settings.maxInFlight()) {
                        break;
                    }
                    pump(other);
                }
            }
        }
        published.increment(batch.size());
        long now = System.nanoTime();
        for (int i = 0; i < batch.size(); i++) {
            latency.record(now - batch.get(i).releasedAt, TimeUnit.NANOSECONDS);
            batch.get(i).future.complete(reply.get(i).toLong());
        }
    }

    private Duration backoff(int attempt) {
        long millis = settings.initialBackoff().toMillis() << Math.min(attempt, 16);
        return Duration.ofMillis(Math.min(millis, settings.maxBackoff().toMillis()));
    }

    /** An event's place in its channel's queue: the ticket handed out, then the event once released. */
    final class Pending implements Ticket {
        final ChannelQueue queue;
        final CompletableFuture<Long> future = new CompletableFuture<>();
        ChannelEvent event;
        String encoded;
        boolean released;
        long releasedAt;
        boolean cancelled;

        Pending(ChannelQueue queue) {
            this.queue = queue;
        }

        @Override
        public void release(ChannelEvent released) {
            EventPublisher.this.release(this, released);
        }

        @Override
        public void cancel() {
            EventPublisher.this.cancel(this);
        }

        @Override
        public Uni<Long> published() {
            return Uni.createFrom().completionStage(future);
        }
    }
}
