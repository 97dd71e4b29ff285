package io.presence.gateway.ws;

import io.presence.gateway.events.EventSubscriber;
import io.presence.gateway.presence.NodeLease;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Wires this node's lease to its presence: when the lease had to be taken again (Redis lost its data, or this node
 * stalled past its lease), every local presence connection is joined again and every signed-in one registered again; and when the bus comes back after an
 * outage (often a Redis restart), the lease is checked at once instead of at its next renewal.
 */
@ApplicationScoped
public class Rejoin {

    private final NodeLease lease;
    private final PresenceChannels presence;
    private final SignIn signIn;
    private final EventSubscriber subscriber;

    public Rejoin(NodeLease lease, PresenceChannels presence, SignIn signIn, EventSubscriber subscriber) {
        this.lease = lease;
        this.presence = presence;
        this.signIn = signIn;
        this.subscriber = subscriber;
    }

    void start(@Observes StartupEvent event) {
        lease.onReRegistration(() -> Uni.join().all(presence.rejoinAll(), signIn.registerAll()).andCollectFailures().replaceWithVoid());
        subscriber.onRestored(lease::renew);
    }
}
