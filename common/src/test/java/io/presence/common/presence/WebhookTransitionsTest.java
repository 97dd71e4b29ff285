package io.presence.common.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.redis.RedisHashes;
import io.presence.common.redis.TestRedis;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import io.presence.common.webhook.Webhook;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Each queued member and occupancy webhook carries when Redis decided it, and a return names the departure it ends
 * (the sender pairs the two by that, whatever order they reach the queue in).
 */
class WebhookTransitionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    @AutoClose
    private static final TestRedis redis = TestRedis.standalone();

    /** One queued webhook as the sender reads it back. */
    private record Queued(String name, long decided, long follows) {
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    /**
     * The queued member and occupancy webhooks about a channel, once there are {@code count} of them (each is queued
     * right after its script).
     */
    private static List<Queued> queued(String channel, int count) {
        List<Queued> found = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
            found.clear();
            for (Response entry : redis.call(Command.XRANGE, redis.storeConfig().schema().webhooks(), "-", "+")) {
                Map<String, String> fields = new HashMap<>();
                RedisHashes.forEach(entry.get(1), fields::put);
                JsonNode event = JSON.readTree(fields.get("event"));
                if (event.path("channel").asText().equals(channel) && !event.path("name").asText().equals("subscription_count")) {
                    found.add(new Queued(event.path("name").asText(), Long.parseLong(fields.get("decided")), Long.parseLong(fields.get("follows"))));
                }
            }
            return found.size() >= count;
        });
        assertEquals(count, found.size(), found.toString());
        return found;
    }

    @Test
    void aMemberReturnNamesTheDepartureItEnds() {
        UserPresenceStore users = redis.userStore();
        ChannelPresence presence = new ChannelPresence(redis.redis(), redis.storeConfig(), redis.eventsConfig(Map.of()), io.presence.common.redis.TestRedis.RETENTION, users,
                redis.webhookQueue());
        String channel = "presence-" + UUID.randomUUID();
        String ana = "ana-" + UUID.randomUUID();
        JsonNode info = JSON.createObjectNode().put("name", "Ana");
        await(presence.join("app", channel, "gw-1", "c1", ana, info, null, 100));
        await(presence.leave("app", channel, "gw-1", "c1", ana));
        await(presence.join("app", channel, "gw-2", "c2", ana, info, null, 100));
        await(presence.setStatus("app", ana, new UserStatus(Status.INVISIBLE, "", 0), null));
        await(presence.setStatus("app", ana, new UserStatus(Status.AWAY, "", 0), null));

        List<Queued> q = queued(channel, 5);
        assertEquals(List.of("member_added", "member_removed", "member_added", "member_removed", "member_added"),
                q.stream().map(Queued::name).toList());
        assertEquals(0, q.get(0).follows(), "a first join follows no departure");
        assertEquals(q.get(1).decided(), q.get(2).follows(), "the rejoin names the leave it ends");
        assertEquals(q.get(3).decided(), q.get(4).follows(), "becoming visible again names going invisible");
        for (int i = 1; i < q.size(); i++) {
            assertTrue(q.get(i).decided() > q.get(i - 1).decided(), "decided in order on the Redis clock: " + q);
        }
    }

    @Test
    void anOccupancyNamesTheVacancyItEndsOnce() {
        ChannelSubscribers subscribers = new ChannelSubscribers(redis.redis(), redis.storeConfig(), redis.eventsConfig(Map.of()),
                redis.webhooksConfig(), redis.webhookQueue());
        String channel = "private-" + UUID.randomUUID();
        await(subscribers.change("gw-1", "app", channel, 1));
        await(subscribers.change("gw-1", "app", channel, -1));
        await(subscribers.change("gw-2", "app", channel, 1));
        await(subscribers.change("gw-2", "app", channel, -1));
        await(subscribers.change("gw-2", "app", channel, 1));

        List<Queued> q = queued(channel, 5);
        assertEquals(List.of("channel_occupied", "channel_vacated", "channel_occupied", "channel_vacated", "channel_occupied"),
                q.stream().map(Queued::name).toList());
        assertEquals(0, q.get(0).follows());
        assertEquals(q.get(1).decided(), q.get(2).follows());
        assertEquals(q.get(3).decided(), q.get(4).follows(), "each return names the latest vacancy");
    }

    @Test
    void otherKindsAreNoTransitions() {
        assertEquals(Webhook.Transition.NONE, Webhook.cacheMiss("app", "cache-x").transition());
    }
}
