package io.presence.common.presence;

import io.presence.common.event.EventCodec;
import io.presence.common.event.EventsConfig;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceSchema.ChannelKeys;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.store.UserStatus;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.Webhook.Transition;
import io.presence.common.webhook.WebhookQueue;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;

/** Puts a user's status into the presence channels they are in, announcing it there ({@code redis/member_status.lua}); part of {@link ChannelPresence}. */
final class ChannelStatuses {

    private static final RedisScript MEMBER_STATUS = RedisScript.load("member_status.lua");
    /** How long a status change waits in a channel for a join that is still on its way. */
    private static final String PENDING_TTL_MS = "60000";

    private final Redis redis;
    /** The script that announces what it decides, in the configured pub/sub flavour. */
    private final RedisScript statusScript;
    private final PresenceSchema schema;
    private final UserPresenceStore users;
    private final WebhookQueue webhooks;
    private final String ttl;

    ChannelStatuses(Redis redis, PresenceStoreConfig store, EventsConfig events, UserPresenceStore users, WebhookQueue webhooks) {
        this.redis = redis;
        this.statusScript = MEMBER_STATUS.sharded(events.sharded());
        this.schema = store.schema();
        this.users = users;
        this.webhooks = webhooks;
        this.ttl = Long.toString(events.sequenceTtl().toMillis());
    }

    /** {@link ChannelPresence#setStatus}: stores the status and announces it in each of the user's channels. */
    Uni<Integer> set(String appId, String userId, UserStatus next, Long onlyIfExpiresAt) {
        return users.store(appId, userId, next, onlyIfExpiresAt).chain(stored -> {
            if (stored == null) {
                return Uni.createFrom().item(-1);
            }
            if (stored.channels().isEmpty()) {
                return Uni.createFrom().item(0);
            }
            String status = EventCodec.statusJson(next, stored.version());
            List<Uni<Long>> updates = new ArrayList<>();
            for (List<String> appAndChannel : stored.channels()) {
                updates.add(update(appAndChannel.get(0), appAndChannel.get(1), userId, status));
            }
            return Uni.join().all(updates).andCollectFailures()
                    .map(results -> (int) results.stream().filter(seq -> seq > 0).count());
        });
    }

    /**
     * Puts a status into one channel; answers the sequence number it was announced with (0: the channel has it or a
     * newer one, or the user is not in it yet and it waits for their join), queueing member_added / member_removed
     * when the change makes the user appear to or vanish from the world.
     */
    Uni<Long> update(String appId, String channel, String userId, String statusJson) {
        ChannelKeys keys = schema.channel(appId, channel);
        List<String> scriptKeys = List.of(keys.users(), keys.info(), keys.status(), keys.pending(), keys.seq(), keys.departures(),
                keys.hidden());
        String decision = StatusVisibility.decision(statusJson);
        return StatusVisibility.untilDecided(hint -> statusScript.run(redis, scriptKeys,
                        List.of(userId, statusJson, keys.bus(), ttl, PENDING_TTL_MS, webhooks.departureMemory(), decision, hint)),
                        MemberStatusReply::decode, MemberStatusReply::undecided)
                .map(r -> {
                    if (r.change() == MemberStatusReply.Change.APPEARED) {
                        webhooks.send(Webhook.memberAdded(appId, channel, userId, new Transition(r.at(), r.follows())));
                    } else if (r.change() == MemberStatusReply.Change.VANISHED) {
                        webhooks.send(Webhook.memberRemoved(appId, channel, userId, new Transition(r.at(), 0)));
                    }
                    return r.announced() ? r.seq() : 0L;
                });
    }
}
