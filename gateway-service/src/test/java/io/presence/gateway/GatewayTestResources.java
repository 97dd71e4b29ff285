package io.presence.gateway;

import io.presence.infra.InfraTestResource;
import java.util.HashMap;
import java.util.Map;

/**
 * The one setup of the gateway's Quarkus tests: the discovered Redis, and fake backends behind the /api proxy. Every
 * test class names this alone, so Quarkus starts once for them all (a class with other resources restarts it).
 */
public class GatewayTestResources extends InfraTestResource {

    private final FakeBackends backends = new FakeBackends();

    public GatewayTestResources() {
        super(Store.REDIS);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.putAll(backends.start());
        return config;
    }

    @Override
    public void stop() {
        backends.stop();
        super.stop();
    }
}
