package io.presence.common.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.redis.TestRedis;
import io.presence.common.store.PresenceSchema;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The app store's Redis side, the same on a single Redis and on a Redis Cluster: the snapshot every registry follows
 * (never overwritten by an older one, kept by the registries when Redis loses it), each app's connection quota across
 * gateways (a dead node's share dropped by its reaper), and the per-second budgets.
 */
abstract class AppStoreContract {

    private static final Duration WAIT = Duration.ofSeconds(30);

    abstract TestRedis redis();

    private PresenceSchema schema() {
        return redis().storeConfig().schema();
    }

    private static App app(String id, boolean enabled, Integer maxConnections) {
        AppLimits limits = new AppLimits(maxConnections, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        return new App(id, id + "-key", id + "-secret", null, null, enabled, limits, null, null, null);
    }

    private boolean publish(long version, App... apps) {
        return new AppSnapshot(version, List.of(apps)).publish(redis().redis(), schema()).await().atMost(WAIT);
    }

    @Test
    void aSnapshotIsNeverReplacedByAnOlderOne() {
        redis().call(Command.DEL, schema().apps());
        assertTrue(publish(5, app("one", true, null)));
        assertFalse(publish(4, app("stale", true, null)), "an older writer loses");
        assertFalse(publish(5, app("same", true, null)), "the same version is not written twice");
        AppSnapshot stored = AppSnapshot.read(redis().redis(), schema()).await().atMost(WAIT).orElseThrow();
        assertEquals(5, stored.version());
        assertEquals(List.of("one"), stored.apps().stream().map(App::id).toList());
    }

    @Test
    void aRegistryFollowsTheStoreTellsWhatChangedAndKeepsItsCopyWhenRedisLosesIt() {
        redis().call(Command.DEL, schema().apps());
        AppRegistry registry = redis().appRegistry();
        assertEquals(-1, registry.version(), "the configuration's apps until the store is published");
        assertTrue(registry.byId("app").isPresent());
        List<String> changes = new ArrayList<>();
        registry.onChange((before, after) -> changes.add((before == null ? "-" : before.id() + (before.enabled() ? "+" : "!"))
                + " -> " + (after == null ? "-" : after.id() + (after.enabled() ? "+" : "!"))));

        publish(1, app("app", true, null), app("b", true, null));
        registry.reload();
        assertEquals(1, registry.version());
        // the configured app changed (the store's copy has no webhook receiver), b appeared
        assertEquals(List.of("app+ -> app+", "- -> b+"), changes);
        changes.clear();

        publish(2, app("app", true, null), app("b", false, null));
        registry.reload();
        assertEquals(List.of("b+ -> b!"), changes);
        assertFalse(registry.byKey("b-key").orElseThrow().enabled());
        changes.clear();

        publish(3, app("app", true, null));
        registry.reload();
        assertEquals(List.of("b! -> -"), changes);
        assertTrue(registry.byId("b").isEmpty());

        redis().call(Command.DEL, schema().apps());
        registry.reload();
        assertEquals(3, registry.version(), "Redis lost the snapshot: the last copy stays in use");
        assertTrue(registry.byId("app").isPresent());
        assertEquals(Optional.empty(), AppSnapshot.storedVersion(redis().redis(), schema()).await().atMost(WAIT));
    }

    @Test
    void theConnectionQuotaCountsEveryGatewayAndADeadOnesShareIsDropped() {
        AppConnections quota = new AppConnections(redis().redis(), redis().storeConfig());
        String app = "quota";
        assertTrue(quota.acquire(app, "node-a", 3).await().atMost(WAIT));
        assertTrue(quota.acquire(app, "node-a", 3).await().atMost(WAIT));
        assertTrue(quota.acquire(app, "node-b", 3).await().atMost(WAIT));
        assertFalse(quota.acquire(app, "node-b", 3).await().atMost(WAIT), "three on two gateways: the fourth is refused");
        assertFalse(quota.acquire(app, "node-a", 3).await().atMost(WAIT));
        quota.release(app, "node-b").await().atMost(WAIT);
        assertTrue(quota.acquire(app, "node-a", 3).await().atMost(WAIT), "a released place is free again");
        quota.reap("node-a", List.of(app, "other")).await().atMost(WAIT);
        assertTrue(quota.acquire(app, "node-b", 3).await().atMost(WAIT), "the dead node's three places are free");
        assertTrue(quota.acquire(app, "node-b", 3).await().atMost(WAIT));
        assertTrue(quota.acquire(app, "node-b", 3).await().atMost(WAIT));
        assertFalse(quota.acquire(app, "node-b", 3).await().atMost(WAIT));
        quota.setAll("node-b", Map.of(app, 1)).await().atMost(WAIT);
        assertTrue(quota.acquire(app, "node-b", 3).await().atMost(WAIT), "a node that registers again counts what it holds");
        assertTrue(quota.acquire(app, "node-c", -1).await().atMost(WAIT), "no limit: counted, never refused");
    }

    @Test
    void aBudgetRefusesWhatWouldPassItAndCountsNothingThen() {
        AppRates rates = new AppRates(redis().redis(), redis().storeConfig());
        assertTrue(rates.take("budget", AppRates.EVENTS, 5, -1).await().atMost(WAIT), "no limit");
        assertFalse(rates.take("budget", AppRates.EVENTS, 4, 3).await().atMost(WAIT), "more at once than the limit");
        assertFalse(rates.take("budget", AppRates.READS, 1, 0).await().atMost(WAIT), "a limit of 0 refuses everything");
        assertTrue(rates.take("budget", AppRates.READS, 1, 1).await().atMost(WAIT), "the refusal took nothing");
    }
}
