package io.presence.common.presence;

import io.presence.common.event.EventsConfig;
import io.presence.common.pusher.Channels;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisHashes;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema.ChannelKeys;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.WebhookQueue;
import io.presence.common.webhook.WebhooksConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one owner of subscriber counts: each channel's subscribers on every gateway (which decides channel_occupied
 * and channel_vacated once per cluster-wide transition, and sends a throttled {@code pusher_internal:subscription_count}
 * to the subscribers of public and private channels), and each gateway's own counts (so a reaper can take a dead
 * gateway's subscribers away, and the HTTP API can list occupied channels).
 */
@ApplicationScoped
public class ChannelSubscribers {

    private static final RedisScript SUBSCRIBERS = RedisScript.load("subscribers.lua");
    private static final RedisScript NODE_COUNT = RedisScript.load("count.lua");
    private static final int REAP_CONCURRENCY = 16;

    /** A channel's count after a change, and how long until a pending count may go out (0: nothing pending). */
    public record Counted(int count, long waitMillis) {
    }

    private final Redis redis;
    /** subscribers.lua in the configured pub/sub flavour (it announces counts). */
    private final RedisScript countScript;
    private final PresenceSchema schema;
    private final WebhookQueue webhooks;
    private final String ttl;
    private final String interval;

    public ChannelSubscribers(Redis redis, PresenceStoreConfig store, EventsConfig events, WebhooksConfig webhookSettings,
                              WebhookQueue webhooks) {
        this.redis = redis;
        this.countScript = SUBSCRIBERS.sharded(events.sharded());
        this.schema = store.schema();
        this.webhooks = webhooks;
        this.ttl = Long.toString(events.sequenceTtl().toMillis());
        this.interval = Long.toString(webhookSettings.subscriptionCountInterval().toMillis());
    }

    /** One more (+1) or one fewer (-1) subscriber of a channel on a gateway node. */
    public Uni<Counted> change(String node, String appId, String channel, int delta) {
        Uni<Response> onNode = NODE_COUNT.run(redis, List.of(schema.nodeSubscriptions(node)),
                List.of(PresenceSchema.subscriptionField(appId, channel), Integer.toString(delta)));
        return Uni.combine().all().unis(onNode, count(appId, channel, delta, "")).asTuple().map(t -> t.getItem2());
    }

    /** Sends a channel's pending subscription count if its interval has passed. */
    public Uni<Counted> flush(String appId, String channel) {
        return count(appId, channel, 0, "");
    }

    /**
     * Counts again the subscribers a gateway held all along, after its node lost its lease (Redis lost its data, or
     * the node was reaped): channel_occupied is announced only where a reaper had announced channel_vacated.
     */
    public Uni<Void> restore(String node, Map<String, Integer> countsByField) {
        Uni<Response> cleared = RedisCalls.send(redis, Command.DEL, schema.nodeSubscriptions(node));
        if (countsByField.isEmpty()) {
            return cleared.replaceWithVoid();
        }
        List<String> args = new ArrayList<>();
        args.add(schema.nodeSubscriptions(node));
        List<Uni<Counted>> channels = new ArrayList<>();
        countsByField.forEach((field, n) -> {
            args.add(field);
            args.add(Integer.toString(n));
            String[] appAndChannel = field.split("\u0000", 2);
            channels.add(count(appAndChannel[0], appAndChannel[1], n, "restore"));
        });
        return cleared.chain(() -> RedisCalls.send(redis, Command.HSET, args.toArray(String[]::new)))
                .chain(() -> Uni.join().all(channels).andCollectFailures())
                .replaceWithVoid();
    }

    /** Takes a dead gateway node's subscribers away from every channel it counted them in; answers how many channels it vacated. */
    public Uni<Integer> reap(String node) {
        return RedisCalls.send(redis, Command.HGETALL, schema.nodeSubscriptions(node)).chain(hash -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            RedisHashes.forEach(hash, (field, value) -> counts.put(field, Integer.parseInt(value)));
            return Multi.createFrom().iterable(counts.entrySet())
                    .onItem().transformToUni(e -> {
                        String[] appAndChannel = e.getKey().split("\u0000", 2);
                        return count(appAndChannel[0], appAndChannel[1], -e.getValue(), "reap");
                    }).merge(REAP_CONCURRENCY)
                    .filter(counted -> counted.count() == 0)
                    .collect().asList()
                    .call(() -> RedisCalls.send(redis, Command.DEL, schema.nodeSubscriptions(node)))
                    .map(List::size);
        });
    }

    /** The channel's subscribers on every gateway. */
    public Uni<Integer> count(String appId, String channel) {
        return RedisCalls.send(redis, Command.GET, schema.channel(appId, channel).subscribers())
                .map(r -> r == null ? 0 : r.toInteger());
    }

    private Uni<Counted> count(String appId, String channel, int delta, String mode) {
        ChannelKeys keys = schema.channel(appId, channel);
        // a user's own channel (#server-to-user-) is nobody's business: no counts, no webhooks
        boolean userChannel = channel.startsWith("#");
        boolean counted = !Channels.isPresence(channel) && !userChannel;
        return countScript.run(redis, List.of(keys.subscribers(), keys.subscriptionCount(), keys.seq(), keys.vacated(), keys.departures()),
                        List.of(Integer.toString(delta), interval, keys.bus(), ttl, counted ? "1" : "0", mode, webhooks.departureMemory()))
                .map(SubscribersReply::decode)
                .map(reply -> {
                    long transition = userChannel ? 0 : reply.transition();
                    if (transition > 0) {
                        webhooks.send(Webhook.channelOccupied(appId, channel, reply.when()));
                    } else if (transition < 0) {
                        webhooks.send(Webhook.channelVacated(appId, channel, reply.when()));
                    }
                    if (reply.announced() >= 0) {
                        webhooks.send(Webhook.subscriptionCount(appId, channel, (int) reply.announced()));
                    }
                    return new Counted(reply.count(), reply.waitMillis());
                });
    }
}
