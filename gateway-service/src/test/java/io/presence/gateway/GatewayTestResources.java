package io.presence.gateway;

import io.presence.common.pusher.PusherApp;
import io.presence.infra.InfraTestResource;
import java.util.HashMap;
import java.util.Map;

/**
 * The one setup of the gateway's Quarkus tests: the discovered Redis, fake backends behind the /api proxy, and a second
 * app ({@link #APP2}) beside the development app. Every
 * test class names this alone, so Quarkus starts once for them all (a class with other resources restarts it).
 */
public class GatewayTestResources extends InfraTestResource {

    /** A second app (PUSHER_EXTRA_APPS), for what must stay apart between apps. */
    public static final PusherApp APP2 = new PusherApp("app2", "app2-key", "app2-secret");

    private final FakeBackends backends = new FakeBackends();

    public GatewayTestResources() {
        super(Store.REDIS);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.putAll(backends.start());
        config.put("pusher.extra-apps", APP2.id() + ":" + APP2.key() + ":" + APP2.secret());
        return config;
    }

    @Override
    public void stop() {
        backends.stop();
        super.stop();
    }
}
