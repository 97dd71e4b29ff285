package io.presence.presence.service;

import io.presence.common.presence.PresenceStore;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.store.UserStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Returns expired statuses to online, and says so where the user is present ({@code pusher:member_updated}).
 * Expiries wait in a sorted set; each is claimed with a ZREM, so several presence-service replicas can run this,
 * and a status chosen after the expired one was set is left alone.
 */
@ApplicationScoped
public class StatusExpiry {

    private static final int BATCH = 500;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final UserPresenceStore users;
    private final PresenceStore presence;

    public StatusExpiry(UserPresenceStore users, PresenceStore presence) {
        this.users = users;
        this.presence = presence;
    }

    /**
     * One pass, every second ({@link Passes}); answers how many statuses returned to online. Passes of this replica take
     * turns (the repeated ones never overlap, a direct call waits), so when a call returns, every expiry a pass claimed is done.
     */
    public synchronized int expire() {
        int expired = 0;
        List<UserPresenceStore.Expired> due;
        do {
            due = users.expiredStatuses(BATCH).await().atMost(WAIT);
            for (UserPresenceStore.Expired entry : due) {
                if (users.claimExpiry(entry).await().atMost(WAIT)
                        && presence.setStatus(entry.appId(), entry.userId(), UserStatus.DEFAULT, entry.expiresAt()).await().atMost(WAIT) >= 0) {
                    expired++;
                }
            }
        } while (due.size() == BATCH);
        return expired;
    }
}
