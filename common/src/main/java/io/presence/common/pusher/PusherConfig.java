package io.presence.common.pusher;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Pusher apps this deployment serves, shared by the gateway (which checks signatures) and user-service
 * (which makes them). The defaults are the well-known development app; production overrides them from a Secret.
 */
@ConfigMapping(prefix = "pusher")
public interface PusherConfig {

    /** The well-known development secret; services warn while it is in use. */
    String DEVELOPMENT_SECRET = "app-secret";

    /** Id of the main app (PUSHER_APP_ID). */
    @WithDefault("app-id")
    String appId();

    /** Key of the main app, the one clients put in their URL (PUSHER_KEY). */
    @WithDefault("app-key")
    String key();

    /** Secret of the main app (PUSHER_SECRET). */
    @WithDefault(DEVELOPMENT_SECRET)
    String secret();

    /** Further apps, each written {@code id:key:secret}, comma separated (PUSHER_EXTRA_APPS). */
    Optional<List<String>> extraApps();

    /** The main app. */
    default PusherApp mainApp() {
        return new PusherApp(appId(), key(), secret());
    }

    /** Every app, the main one first. */
    default List<PusherApp> apps() {
        List<PusherApp> apps = new ArrayList<>();
        apps.add(mainApp());
        for (String spec : extraApps().orElse(List.of())) {
            String[] parts = spec.trim().split(":", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("pusher.extra-apps entries are id:key:secret, got '" + spec + "'");
            }
            apps.add(new PusherApp(parts[0], parts[1], parts[2]));
        }
        return List.copyOf(apps);
    }

    /** True while the development secret is in use, which no production deployment may do. */
    default boolean usesDevelopmentSecret() {
        return apps().stream().anyMatch(app -> DEVELOPMENT_SECRET.equals(app.secret()));
    }
}
