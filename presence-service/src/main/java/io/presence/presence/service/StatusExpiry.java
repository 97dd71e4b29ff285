package io.presence.presence.service;

import io.presence.common.presence.ChannelPresence;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.presence.UserStatus;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Returns expired statuses to online, and says so where the user is present ({@code pusher:member_updated}).
 * Expiries wait in a sorted set; each is claimed with a ZREM, so several presence-service replicas can run this,
 * and a status chosen after the expired one was set is left alone.
 */
@ApplicationScoped
public class StatusExpiry {

    private static final Logger LOG = Logger.getLogger(StatusExpiry.class);
    private static final int BATCH = 500;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final UserPresenceStore users;
    private final ChannelPresence presence;

    public StatusExpiry(UserPresenceStore users, ChannelPresence presence) {
        this.users = users;
        this.presence = presence;
    }

    // delayed: a pass that starts while Quarkus still creates the Redis client fails it (seen under load)
    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = ConcurrentExecution.SKIP)
    void expireSafely() {
        try {
            expire();
        } catch (RuntimeException e) {
            LOG.warnf("status expiry pass failed (will retry): %s", e.toString());
        }
    }

    /**
     * One pass; answers how many statuses returned to online. Passes of this replica take turns (the scheduled ones
     * skip rather than overlap, a direct call waits), so when a call returns, every expiry a pass claimed is done.
     */
    public synchronized int expire() {
        int expired = 0;
        Map<String, Long> due;
        do {
            due = users.expiredStatuses(BATCH).await().atMost(WAIT);
            for (Map.Entry<String, Long> entry : due.entrySet()) {
                if (users.claimExpiry(entry.getKey()).await().atMost(WAIT)
                        && presence.setStatus(entry.getKey(), UserStatus.DEFAULT, entry.getValue()).await().atMost(WAIT) >= 0) {
                    expired++;
                }
            }
        } while (due.size() == BATCH);
        return expired;
    }
}
