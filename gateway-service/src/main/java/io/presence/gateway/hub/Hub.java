package io.presence.gateway.hub;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.event.Event;
import io.presence.common.event.EventsConfig;
import io.presence.common.presence.PresenceStore;
import io.presence.common.pusher.Channels;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.WebhookQueue;
import io.presence.gateway.events.Broker;
import io.presence.gateway.protocol.Frames;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The channels this gateway has local subscribers for, each a {@link LocalChannel}, keyed by bus channel: the bus
 * hands every event to its channel here. A channel is created (and its bus subscription made) on its first
 * subscriber, and dropped a while after its last one left, so a page reload does not unsubscribe and resubscribe.
 */
@ApplicationScoped
public class Hub {

    private static final Logger LOG = Logger.getLogger(Hub.class);
    private static final Duration KEEP_EMPTY = Duration.ofSeconds(10);

    private final Map<String, LocalChannel> channels = new ConcurrentHashMap<>();
    private final Broker broker;
    private final PresenceStore presence;
    private final PresenceSchema schema;
    private final Frames frames;
    private final Vertx vertx;
    private final Duration removalGrace;
    private final DeliveryMetrics metrics;
    private final WebhookQueue webhooks;
    private long sweeper = -1;

    public Hub(Broker broker, PresenceStore presence, PresenceStoreConfig store, EventsConfig events, Frames frames,
               Vertx vertx, DeliveryMetrics metrics, WebhookQueue webhooks, MeterRegistry registry) {
        this.broker = broker;
        this.presence = presence;
        this.schema = store.schema();
        this.frames = frames;
        this.vertx = vertx;
        this.removalGrace = events.repairRemovalGrace();
        this.metrics = metrics;
        this.webhooks = webhooks;
        Gauge.builder("events.channels.unsettled", this, Hub::unsettled)
                .description("Channels reading their state, repairing a gap, or holding members a repair found missing (0: all settled)")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        broker.onEvent(this::onEvent);
        broker.onRestored(this::resyncAll);
        sweeper = vertx.setPeriodic(KEEP_EMPTY.toMillis() / 2, id -> sweep());
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }

    /**
     * The channel, with {@code recipient} expected as a subscriber (it receives nothing until admitted). On the
     * channel's first subscriber this gateway starts listening on its bus channel and then reads its state.
     */
    public LocalChannel subscribe(String appId, String channel, Recipient recipient) {
        String bus = schema.busChannel(appId, channel);
        LocalChannel[] created = {null};
        LocalChannel local = channels.compute(bus, (b, existing) -> {
            LocalChannel c = existing;
            if (c == null) {
                c = new LocalChannel(appId, channel, b, Channels.isPresence(channel), frames, presence::state, this::schedule,
                        removalGrace, metrics, (app, name) -> webhooks.send(Webhook.cacheMiss(app, name)));
                created[0] = c;
            }
            c.expect(recipient);
            return c;
        });
        if (created[0] != null) {
            listen(created[0]);
        }
        return local;
    }

    /** The channel if this gateway follows it, else null. */
    public LocalChannel find(String appId, String channel) {
        return channels.get(schema.busChannel(appId, channel));
    }

    private void listen(LocalChannel channel) {
        broker.listen(channel.bus()).subscribe().with(ok -> channel.load(), error -> {
            LOG.warnf("listening on %s failed (%s); retrying", channel.name(), error.toString());
            schedule(Duration.ofMillis(500), () -> {
                if (channels.get(channel.bus()) == channel) {
                    listen(channel);
                }
            });
        });
    }

    void onEvent(String bus, Event event) {
        LocalChannel channel = channels.get(bus);
        if (channel != null) {
            long start = System.nanoTime();
            channel.onEvent(event);
            metrics.handled(System.nanoTime() - start);
        }
    }

    /** After the bus was cut: every channel reads back what it may have missed. */
    void resyncAll() {
        LOG.infof("bus restored: repairing %d channels", channels.size());
        channels.values().forEach(LocalChannel::resync);
    }

    /** Drops channels that have had no subscriber for a while, and stops listening to them. */
    void sweep() {
        long now = System.nanoTime();
        for (String bus : channels.keySet()) {
            channels.computeIfPresent(bus, (b, channel) -> {
                if (!channel.emptyFor(KEEP_EMPTY.toNanos(), now)) {
                    return channel;
                }
                broker.stopListening(b);
                return null;
            });
        }
    }

    /** Channels not settled yet (see {@link LocalChannel#unsettled()}). */
    private int unsettled() {
        return (int) channels.values().stream().filter(LocalChannel::unsettled).count();
    }

    /** Number of channels followed (for tests and metrics). */
    public int size() {
        return channels.size();
    }

    private void schedule(Duration delay, Runnable task) {
        vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run());
    }
}
