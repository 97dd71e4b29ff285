package io.presence.gateway.events;

import io.presence.common.event.EventPublisher;
import io.presence.common.event.EventsConfig;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.gateway.node.NodeIdentity;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Makes this gateway's one {@link Broker}, chosen once from {@link EventsConfig#pubsub()}: classic or sharded Redis pub/sub. */
@ApplicationScoped
public class Brokers {

    private final Vertx vertx;
    private final List<String> hosts;
    private final Optional<String> password;
    private final String control;
    private final EventsConfig events;
    private final NodeIdentity node;
    private final EventPublisher publisher;
    private final Redis redis;
    private volatile Broker made;

    public Brokers(Vertx vertx, @ConfigProperty(name = "quarkus.redis.hosts") List<String> hosts,
                   @ConfigProperty(name = "quarkus.redis.password") Optional<String> password, PresenceStoreConfig store,
                   EventsConfig events, NodeIdentity node, EventPublisher publisher, Redis redis) {
        this.vertx = vertx;
        this.hosts = hosts;
        this.password = password;
        this.control = store.schema().control();
        this.events = events;
        this.node = node;
        this.publisher = publisher;
        this.redis = redis;
    }

    @Produces
    @ApplicationScoped
    Broker broker() {
        Broker broker = events.sharded()
                ? new ShardedRedisBroker(vertx, hosts, password, control, clientName(), publisher, redis)
                : new ClassicRedisBroker(vertx, hosts, password, control, clientName(), publisher);
        made = broker;
        return broker;
    }

    /** The client name of this gateway's pub/sub connections (in Redis's CLIENT LIST). */
    public String clientName() {
        return "presence-bus-" + node.id();
    }

    void stop(@Observes ShutdownEvent event) {
        Broker broker = made;
        if (broker != null) {
            broker.close();
        }
    }
}
