package io.presence.presence.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed settings of presence-service; every key can be set by environment variable (e.g. PRESENCE_KEY_PREFIX). */
@ConfigMapping(prefix = "presence")
public interface PresenceConfig {

    /** First segment of every Redis key this service reads or writes, so several suites can share one Redis. */
    @WithDefault("presence")
    String keyPrefix();
}
