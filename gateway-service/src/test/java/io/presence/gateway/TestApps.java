package io.presence.gateway;

import io.presence.common.app.App;
import io.presence.common.app.AppLimits;
import io.presence.common.app.AppRegistry;
import io.presence.common.app.AppSnapshot;
import io.presence.common.store.PresenceStoreConfig;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Apps for the gateway's tests, installed as user-service publishes them (a snapshot of the store in Redis) and read
 * by the registry at once; one version counter for every test class, so a later install always wins.
 */
@Singleton
public class TestApps {

    private static final AtomicLong VERSION = new AtomicLong(System.currentTimeMillis());

    private final AppRegistry registry;
    private final Redis redis;
    private final PresenceStoreConfig store;

    public TestApps(AppRegistry registry, Redis redis, PresenceStoreConfig store) {
        this.registry = registry;
        this.redis = redis;
        this.store = store;
    }

    /** A new app (a fresh id, key and secret) with these limits; not installed yet. */
    public static App app(String name, AppLimits limits) {
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new App(id, id + "-key", id + "-secret", null, null, true, limits, null, null, null);
    }

    /** Publishes the configured apps plus these as the store's next version, and has the registry read it. */
    public void install(App... apps) {
        List<App> all = new ArrayList<>(registry.configured());
        all.addAll(List.of(apps));
        new AppSnapshot(VERSION.incrementAndGet(), all).publish(redis, store.schema()).await().atMost(Duration.ofSeconds(30));
        registry.reload();
    }

    /** Installs a new app with these limits and answers it as the registry has it (defaults filled in). */
    public App installNew(String name, AppLimits limits) {
        App app = app(name, limits);
        install(app);
        return registry.byId(app.id()).orElseThrow();
    }
}
