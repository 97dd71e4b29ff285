package io.presence.common.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where and how presence lives in Redis; shared by the gateway and presence-service (PRESENCE_STORE_* variables). */
@ConfigMapping(prefix = "presence.store")
public interface PresenceStoreConfig {

    /** First segment of every presence key and bus channel, so several suites can share one Redis. */
    @WithDefault("presence")
    String keyPrefix();

    /**
     * How long a gateway's lease lives without renewal: a crashed gateway's members go between this minus the renewal
     * interval and this plus the reaper interval, and a gateway may stall up to this minus the renewal interval unharmed.
     */
    @WithDefault("3s")
    Duration leaseTtl();

    /** How often a gateway renews its lease, on a thread of its own (well below the TTL). */
    @WithDefault("250ms")
    Duration leaseRenewal();

    /** How often presence-service looks for expired leases (on a thread of its own: below a second is fine). */
    @WithDefault("250ms")
    Duration reaperInterval();

    default PresenceSchema schema() {
        return new PresenceSchema(keyPrefix());
    }
}
