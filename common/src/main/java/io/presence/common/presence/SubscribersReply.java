package io.presence.common.presence;

import io.presence.common.webhook.Webhook.Transition;
import io.vertx.mutiny.redis.client.Response;

/**
 * The reply of {@code redis/subscribers.lua}, read in this one place: {@code {count, transition, announced, wait, at,
 * follows}}.
 *
 * @param count      the channel's subscribers on every gateway after the change
 * @param transition 1 when the channel became occupied, -1 vacated, 0 neither
 * @param announced  the subscription count that went out now, or -1
 * @param waitMillis ms until a pending count may go out (0 when nothing is pending)
 * @param when       when a transition happened (server clock, microseconds; 0 without one) and, for occupied, when
 *                   the vacancy it ends began (0: none remembered)
 */
record SubscribersReply(int count, long transition, long announced, long waitMillis, Transition when) {

    static SubscribersReply decode(Response reply) {
        return new SubscribersReply(reply.get(0).toInteger(), reply.get(1).toLong(), reply.get(2).toLong(), reply.get(3).toLong(),
                new Transition(reply.get(4).toLong(), reply.get(5).toLong()));
    }
}
