package io.presence.common.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the start-up check of secrets ({@link InsecureDefaults}) needs to know about this service. */
@ConfigMapping(prefix = "presence.security")
public interface SecureDefaultsConfig {

    /**
     * Whether this service signs or checks with the Pusher app secrets (the gateway, user- and presence-service do;
     * message-service, which only names the app its events belong to, sets this to false).
     */
    @WithDefault("true")
    boolean usesAppSecrets();
}
