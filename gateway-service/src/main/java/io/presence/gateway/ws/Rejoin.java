package io.presence.gateway.ws;

import io.presence.common.app.AppConnections;
import io.presence.gateway.events.Broker;
import io.presence.gateway.node.NodeIdentity;
import io.presence.gateway.node.NodeLease;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Wires this node's lease to its presence: when the lease had to be taken again (Redis lost its data, or this node
 * stalled past its lease), every local presence connection is joined again, every signed-in one registered again and
 * the apps' connection counts of this node set again; and when the bus comes back after an
 * outage (often a Redis restart), the lease is checked at once instead of at its next renewal.
 */
@ApplicationScoped
public class Rejoin {

    private final NodeLease lease;
    private final PresenceMembership presence;
    private final SignIn signIn;
    private final Broker broker;
    private final AppConnections quota;
    private final Connections connections;
    private final NodeIdentity node;

    public Rejoin(NodeLease lease, PresenceMembership presence, SignIn signIn, Broker broker, AppConnections quota,
                  Connections connections, NodeIdentity node) {
        this.lease = lease;
        this.presence = presence;
        this.signIn = signIn;
        this.broker = broker;
        this.quota = quota;
        this.connections = connections;
        this.node = node;
    }

    void start(@Observes StartupEvent event) {
        lease.onReRegistration(() -> Uni.join().all(presence.rejoinAll(), signIn.registerAll(),
                quota.setAll(node.id(), connections.countsByApp())).andCollectFailures().replaceWithVoid());
        broker.onRestored(lease::renew);
    }
}
