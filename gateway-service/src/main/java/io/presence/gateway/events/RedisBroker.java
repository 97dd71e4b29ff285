package io.presence.gateway.events;

import io.presence.common.event.ChannelEvent;
import io.presence.common.event.ControlCommand;
import io.presence.common.event.EventCodec;
import io.presence.common.event.EventPublisher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What the Redis brokers share: publishing through the sequenced {@link EventPublisher} ({@code publish.lua}), the
 * control channel on a classic {@link PubSubConnection}, and decoding what arrives for the handlers. Where the bus
 * channels are subscribed is up to each: {@link ClassicRedisBroker} or {@link ShardedRedisBroker}.
 */
abstract class RedisBroker implements Broker {

    private static final Logger LOG = Logger.getLogger(RedisBroker.class);

    private final EventPublisher publisher;
    private final String control;
    private final BrokerHandlers handlers = new BrokerHandlers();
    /** The control channel, and on classic pub/sub every bus channel. */
    final PubSubConnection classic;

    /**
     * @param hosts      the configured node URLs
     * @param password   the password of the service's own client, if any
     * @param control    the control channel
     * @param clientName the client name of every pub/sub connection (in Redis's CLIENT LIST)
     */
    RedisBroker(Vertx vertx, List<String> hosts, Optional<String> password, String control, String clientName, EventPublisher publisher) {
        this.publisher = publisher;
        this.control = control;
        this.classic = new PubSubConnection(vertx, hosts, url -> options(url, password), clientName, this::onMessage, this::restored);
    }

    /** A pub/sub connection to one node, with the password the service's own client uses (if any). */
    static RedisOptions options(String url, Optional<String> password) {
        RedisOptions options = new RedisOptions().setConnectionString(url);
        password.ifPresent(options::setPassword);
        return options;
    }

    /** Whether a bus channel is listened to: what arrives for one that is not is dropped. */
    abstract boolean listens(String bus);

    @Override
    public Uni<Void> register(Handler handler) {
        handlers.add(handler);
        Uni<Void> subscribed = classic.listen(control);
        subscribed.subscribe().with(ok -> { }, err -> LOG.warnf("control channel not subscribed yet: %s", err.toString()));
        return subscribed;
    }

    @Override
    public Uni<Long> publish(String appId, String channel, ChannelEvent event) {
        return publisher.publish(appId, channel, event);
    }

    @Override
    public Uni<Void> command(ControlCommand command) {
        return publisher.command(command);
    }

    @Override
    public void close() {
        classic.stop();
    }

    void onMessage(Response push) {
        // a pub/sub push: ["message" or "smessage", bus channel, payload]
        if (push == null || push.size() < 3) {
            return;
        }
        String kind = push.get(0).toString();
        if (!"message".equals(kind) && !"smessage".equals(kind)) {
            return;
        }
        String bus = push.get(1).toString();
        String payload = push.get(2).toString();
        try {
            if (bus.equals(control)) {
                handlers.onCommand(EventCodec.decodeCommand(payload));
            } else if (listens(bus)) {
                handlers.onEvent(bus, EventCodec.decode(payload));
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring a malformed message on %s: %s", bus, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "handling a message on %s failed", bus);
        }
    }

    void restored() {
        handlers.onRestored();
    }
}
