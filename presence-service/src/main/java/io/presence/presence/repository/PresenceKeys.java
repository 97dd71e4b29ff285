package io.presence.presence.repository;

import io.presence.common.presence.PresenceStoreConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one place Redis key names are made. Every key of one user shares the hash tag {@code {u:ID}} so the
 * scripts that touch them stay on one Redis Cluster slot.
 */
@ApplicationScoped
public class PresenceKeys {

    private final String prefix;

    public PresenceKeys(PresenceStoreConfig config) {
        this.prefix = config.keyPrefix();
    }

    /** Hash of one user's state: {@code status}, {@code text}, {@code expiresAt} and {@code lastSeen} (epoch ms), {@code connections}. */
    public String user(String userId) {
        return prefix + ":{u:" + userId + "}:state";
    }
}
