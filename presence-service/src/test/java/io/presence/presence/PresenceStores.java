package io.presence.presence;

import io.presence.common.pusher.PusherApp;
import io.presence.infra.InfraTestResource;
import java.util.HashMap;
import java.util.Map;

/** presence-service tests run on the discovered Redis, with a second app ({@link #APP2}) beside the development app. */
public class PresenceStores extends InfraTestResource {

    /** A second app (PUSHER_EXTRA_APPS), for what must stay apart between apps. */
    public static final PusherApp APP2 = new PusherApp("app2", "app2-key", "app2-secret");

    public PresenceStores() {
        super(Store.REDIS);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("pusher.extra-apps", APP2.id() + ":" + APP2.key() + ":" + APP2.secret());
        return config;
    }
}
