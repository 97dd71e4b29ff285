package io.presence.gateway.events;

import io.presence.common.event.EventPublisher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.util.List;
import java.util.Optional;

/**
 * The broker on classic Redis pub/sub: one SUBSCRIBE connection carries the control channel and every bus channel.
 * On a Redis Cluster a PUBLISH reaches every node, so one connection to any node hears all.
 */
final class ClassicRedisBroker extends RedisBroker {

    ClassicRedisBroker(Vertx vertx, List<String> hosts, Optional<String> password, String control, String clientName,
                       EventPublisher publisher) {
        super(vertx, hosts, password, control, clientName, publisher);
    }

    @Override
    public Uni<Void> listen(String bus) {
        return classic.listen(bus);
    }

    @Override
    public void stopListening(String bus) {
        classic.stopListening(bus);
    }

    @Override
    boolean listens(String bus) {
        return classic.listens(bus);
    }
}
