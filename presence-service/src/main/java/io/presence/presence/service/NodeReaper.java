package io.presence.presence.service;

import io.presence.common.presence.ChannelPresence;
import io.presence.common.presence.ChannelSubscribers;
import io.presence.common.presence.NodeLeases;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.common.presence.Watchlists;
import io.presence.common.schedule.RepeatingTask;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Removes the presence of gateways that died. Every gateway keeps a lease in Redis and lists its presence
 * connections; when a lease expires (the process was killed, or cut off from Redis), this reaper claims the node
 * ({@link NodeLeases#claim}) and has {@link ChannelPresence} remove each of its connections with the same atomic leave a
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
    // a pass that starts while Quarkus still creates the Redis client fails it (seen under load)
    private static final Duration START_DELAY = Duration.ofSeconds(2);

    private final NodeLeases leases;
    private final ChannelPresence presence;
    private final ChannelSubscribers subscribers;
    private final Watchlists watchlists;
    private final Duration interval;
    private final Duration leaseTtl;
    private volatile long quietUntil = System.nanoTime();
    private final String id = "reaper-" + UUID.randomUUID();
    private RepeatingTask passes;

    public NodeReaper(NodeLeases leases, PresenceStoreConfig config, ChannelPresence presence, ChannelSubscribers subscribers,
                      Watchlists watchlists) {
        this.leases = leases;
        this.interval = config.reaperInterval();
        this.leaseTtl = config.leaseTtl();
        this.presence = presence;
        this.subscribers = subscribers;
        this.watchlists = watchlists;
    }

    // a thread of its own: Quarkus' scheduler runs nothing more often than once a second, and a pass blocks on Redis
    void start(@Observes StartupEvent event) {
        passes = RepeatingTask.start("node-reaper", START_DELAY, interval, this::reap);
    }

    void stop(@Observes ShutdownEvent event) {
        if (passes != null) {
            passes.close();
        }
    }

    /**
     * One pass: every node whose lease expired loses its connections. Returns the number of members removed. After a
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
            leases.reaped(node).await().atMost(WAIT);
            LOG.infof("node %s reaped in %d ms", node, (System.nanoTime() - started) / 1_000_000);
        }
        return removed;
    }
}
