package io.presence.common.pusher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-app settings as operators write them: environment variables, the main app and extra apps alike. */
class PusherConfigTest {

    private static PusherConfig fromEnvironment(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(PusherConfig.class)
                .withSources(new EnvConfigSource(env, 300)).build();
        return config.getConfigMapping(PusherConfig.class);
    }

    @Test
    void webhooksAndKeysComeFromEnvironmentVariablesForEveryApp() {
        PusherConfig pusher = fromEnvironment(Map.of(
                "PUSHER_APP_ID", "main", "PUSHER_KEY", "main-key", "PUSHER_SECRET", "main-secret",
                "PUSHER_WEBHOOK_URLS", "http://a.example/hooks,http://b.example/hooks",
                "PUSHER_EXTRA_APPS", "shop:shop-key:shop-secret",
                "PUSHER_APP__SHOP__WEBHOOK_URLS", "http://shop.example/hooks",
                "PUSHER_APP__SHOP__WEBHOOK_EVENTS", "member_added,member_removed"));
        assertEquals(List.of("http://a.example/hooks", "http://b.example/hooks"), pusher.webhooks("main").urls());
        assertTrue(pusher.webhooks("main").wants("client_event"), "every kind by default");
        assertEquals(List.of("http://shop.example/hooks"), pusher.webhooks("shop").urls());
        assertTrue(pusher.webhooks("shop").wants("member_added"));
        assertTrue(!pusher.webhooks("shop").wants("channel_occupied"));
    }
}
