package io.presence.gateway.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.presence.common.presence.NodeLeases.Renewal;
import io.presence.common.presence.NodeLeases;
import io.presence.common.schedule.RepeatingTask;
import io.presence.common.store.PresenceStoreConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * This gateway's lease in Redis, renewed on a thread of its own. While it lives, presence-service leaves this node's
 * connections alone; if this process dies, the lease expires and the reaper removes its connections. If the lease is
 * found expired while this process lives (Redis restarted empty, or a pause outlived it), the node takes it again once
 * no reaper is busy with it, and re-joins every presence connection it holds, so clients need not reconnect.
 */
@ApplicationScoped
public class NodeLease {

    private static final Logger LOG = Logger.getLogger(NodeLease.class);

    private final NodeLeases leases;
    private final PresenceStoreConfig config;
    private final NodeIdentity node;
    private final Vertx vertx;
    private final Timer lag;
    private final Counter lost;
    private volatile Supplier<Uni<Void>> rejoin = () -> Uni.createFrom().voidItem();
    // not the event loop: a loop kept busy by clients must not let the lease lapse
    private volatile RepeatingTask renewer;
    // touched by the renewer thread only
    private boolean registered;
    private boolean waitingForReap;
    private long lastRenewal;

    public NodeLease(NodeLeases leases, PresenceStoreConfig config, NodeIdentity node, Vertx vertx, MeterRegistry metrics) {
        this.leases = leases;
        this.config = config;
        this.node = node;
        this.vertx = vertx;
        this.lag = Timer.builder("node.lease.renewal.lag")
                .description("How much later than its renewal interval each lease renewal succeeded (reaped past lease TTL minus interval)")
                .register(metrics);
        this.lost = Counter.builder("node.lease.lost")
                .description("Times this gateway found its lease expired while it lived, and registered its connections again")
                .register(metrics);
    }

    /** What to run after the lease had to be taken again: re-join the presence connections of this node. */
    public void onReRegistration(Supplier<Uni<Void>> rejoin) {
        this.rejoin = rejoin;
    }

    void start(@Observes StartupEvent event) {
        renewer = RepeatingTask.start("node-lease", Duration.ZERO, config.leaseRenewal(), this::renewNow);
    }

    /** Renews the lease now (on the renewer thread), taking it again and re-joining this node's presence if it was lost. */
    public void renew() {
        RepeatingTask running = renewer;
        if (running != null) {
            running.runNow();
        }
    }

    private void renewNow() {
        Renewal renewal = leases.renew(node.id(), config.leaseTtl()).await().atMost(config.leaseTtl());
        long now = System.nanoTime();
        if (renewal == Renewal.BEING_REAPED) {
            if (!waitingForReap) {
                LOG.warnf("node %s lost its lease and is being reaped; registering again once the reap is over", node.id());
            }
            waitingForReap = true;
            return;
        }
        waitingForReap = false;
        if (lastRenewal != 0) {
            lag.record(Math.max(0, now - lastRenewal - config.leaseRenewal().toNanos()), TimeUnit.NANOSECONDS);
        }
        lastRenewal = now;
        if (renewal == Renewal.TAKEN && registered) {
            lost.increment();
            LOG.warnf("node %s lost its lease (Redis restarted or this node stalled); re-registering its presence", node.id());
            vertx.runOnContext(v -> rejoin.get().subscribe().with(ok -> LOG.infof("node %s registered its presence again", node.id()),
                    err -> LOG.warnf("re-registering presence failed: %s", err.toString())));
        }
        registered = true;
    }

    /** Stops renewing; the sockets closed on shutdown leave their channels, and the lease simply expires. */
    void stop(@Observes ShutdownEvent event) {
        RepeatingTask running = renewer;
        if (running != null) {
            running.close();
        }
    }
}
