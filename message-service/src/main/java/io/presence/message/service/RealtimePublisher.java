package io.presence.message.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.common.pusher.PusherConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Hands committed events to the gateways: a Pusher server frame published on the channel's Redis bus
 * ({@code <prefix>:bus:<app>:<channel>}), which every gateway with subscribers of that channel forwards to them.
 * It runs only after the transaction committed, and never waits for Redis: a publish that fails is logged and
 * counted, the stored data stays, and clients catch up from history.
 */
@ApplicationScoped
public class RealtimePublisher {

    private static final Logger LOG = Logger.getLogger(RealtimePublisher.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final PresenceSchema schema;
    private final String appId;
    private final ObjectMapper json;
    private final Counter published;
    private final Counter failed;

    public RealtimePublisher(ReactiveRedisDataSource redis, PresenceStoreConfig store, PusherConfig pusher,
                             ObjectMapper json, MeterRegistry metrics) {
        this.redis = redis;
        this.schema = store.schema();
        this.appId = pusher.appId();
        this.json = json;
        this.published = metrics.counter("messages.realtime.published");
        this.failed = metrics.counter("messages.realtime.publish.failures");
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RealtimeEvent event) {
        String frame;
        try {
            frame = frame(event);
        } catch (JsonProcessingException e) {
            failed.increment();
            LOG.errorf(e, "cannot encode %s on %s", event.name(), event.channel());
            return;
        }
        redis.execute("PUBLISH", schema.busChannel(appId, event.channel()), PresenceSchema.busMessage("", frame))
                .ifNoItem().after(PUBLISH_TIMEOUT).fail()
                .subscribe().with(
                        ok -> published.increment(),
                        err -> {
                            failed.increment();
                            LOG.warnf("%s on %s not delivered in real time (stored; clients catch up from history): %s",
                                    event.name(), event.channel(), err.toString());
                        });
    }

    /** {@code {"event":..., "channel":..., "data":"<JSON as a string>"}}, as every Pusher server frame. */
    String frame(RealtimeEvent event) throws JsonProcessingException {
        ObjectNode frame = json.createObjectNode()
                .put("event", event.name())
                .put("channel", event.channel())
                .put("data", json.writeValueAsString(event.data()));
        return json.writeValueAsString(frame);
    }
}
