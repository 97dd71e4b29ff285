package io.presence.presence.service;

import io.presence.common.app.App;
import io.presence.common.app.AppConnections;
import io.presence.common.app.AppRegistry;
import io.presence.common.presence.PresenceStore;
import io.presence.common.presence.ChannelSubscribers;
import io.presence.common.presence.NodeLeases;
import io.presence.common.presence.Watchlists;
import io.presence.common.store.PresenceStoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Removes the presence of gateways that died. Every gateway keeps a lease in Redis and lists its presence
 * connections; when a lease expires (the process was killed, or cut off from Redis), this reaper claims the node
 * ({@link NodeLeases#claim}) and has {@link PresenceStore} remove each of its connections with the same atomic leave a
 * gateway uses, which announces every member left without a connection and records last seen, and
 * {@link ChannelSubscribers} take its subscribers off every channel's count (channel_vacated where none are left).
 * Several presence-service replicas may run it: one claim per node, and a leave that finds its connection gone
 * announces nothing, so a reap is never announced twice, even when a replica dies mid-reap and another finishes it.
 * A node that comes back after being reaped re-registers its connections itself, once the reap is over.
 */
@ApplicationScoped
public class NodeReaper {

    private static final Logger LOG = Logger.getLogger(NodeReaper.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    // a reap takes well under a second; a replica that dies mid-reap leaves the rest to another after this, and one
    // overtaken while slow only repeats leaves that find nothing and announce nothing
    private static final Duration CLAIM = Duration.ofSeconds(15);

    private final NodeLeases leases;
    private final PresenceStore presence;
    private final ChannelSubscribers subscribers;
    private final Watchlists watchlists;
    private final AppConnections appConnections;
    private final AppRegistry apps;
    private final Duration leaseTtl;
    private volatile long quietUntil = System.nanoTime();
    private final String id = "reaper-" + UUID.randomUUID();

    public NodeReaper(NodeLeases leases, PresenceStoreConfig config, PresenceStore presence, ChannelSubscribers subscribers,
                      Watchlists watchlists, AppConnections appConnections, AppRegistry apps) {
        this.leases = leases;
        this.leaseTtl = config.leaseTtl();
        this.presence = presence;
        this.subscribers = subscribers;
        this.watchlists = watchlists;
        this.appConnections = appConnections;
        this.apps = apps;
    }

    /**
     * One pass, every {@code reaper-interval} ({@link Passes}): every node whose lease expired loses its connections. Returns the number of members removed. After a
     * pass that failed (Redis unreachable, as during a cluster failover), gateways could not renew either: reaping
     * waits a lease TTL, so the live ones renew (or take their lease again) before anyone is taken for dead. Passes
     * take turns, so when a call returns, any reap a pass of this replica had started is over.
     */
    public synchronized int reap() {
        if (System.nanoTime() - quietUntil < 0) {
            return 0;
        }
        try {
            return reapExpired();
        } catch (RuntimeException e) {
            quietUntil = System.nanoTime() + leaseTtl.toNanos();
            throw e;
        }
    }

    private int reapExpired() {
        int removed = 0;
        for (String node : leases.expired().await().atMost(WAIT)) {
            if (!leases.claim(node, id, CLAIM).await().atMost(WAIT)) {
                continue; // renewed meanwhile, or another replica reaps it
            }
            long started = System.nanoTime();
            removed += presence.reap(node).await().atMost(WAIT);
            watchlists.reap(node).await().atMost(WAIT);
            subscribers.reap(node).await().atMost(WAIT);
            appConnections.reap(node, apps.all().stream().map(App::id).toList()).await().atMost(WAIT);
            leases.reaped(node).await().atMost(WAIT);
            LOG.infof("node %s reaped in %d ms", node, (System.nanoTime() - started) / 1_000_000);
        }
        return removed;
    }
}
