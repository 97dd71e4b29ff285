package io.presence.common.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How webhooks are held, batched and retried (PRESENCE_WEBHOOKS_* variables); where they go is per app (pusher.*). */
@ConfigMapping(prefix = "presence.webhooks")
public interface WebhooksConfig {

    /** How long member_removed and channel_vacated wait; they are dropped (with the member_added / channel_occupied that undid them) if the user or a subscriber comes back in time. */
    @WithDefault("3s")
    Duration grace();

    /**
     * How long a return (member_added, channel_occupied) that was queued before the departure it ends waits for that
     * departure; if it never comes (its gateway died before queueing it), both count as no news.
     */
    @WithDefault("30s")
    Duration reorderWait();

    /** How long a webhook is retried (non-2xx answers, timeouts, refused connections) before it is dropped and counted. */
    @WithDefault("5m")
    Duration retryFor();

    /** First wait before retrying a failed delivery; doubled on each failure up to {@link #maxBackoff()}. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** Longest wait between retries. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** How long a receiver may take to answer before the attempt counts as failed. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Most events in one webhook body. */
    @WithDefault("50")
    int maxBatch();

    /** How long ready events wait for others to share their body. */
    @WithDefault("50ms")
    Duration batchWait();

    /**
     * Most webhooks the Redis queue keeps: when it is full (the sender is down or its receivers are slow), each new one
     * drops the oldest unsent one, counted in {@code webhooks_overflowed_total}.
     */
    @WithDefault("20000")
    int queueLength();

    /**
     * Most queue entries presence-service holds at once (read, not yet delivered, dropped or cancelled); it reads more
     * from the queue only as these finish, so a slow receiver cannot fill its memory.
     */
    @WithDefault("2000")
    int maxInHand();

    /** How often pusher_internal:subscription_count (and the subscription_count webhook) may go out per channel. */
    @WithDefault("5s")
    Duration subscriptionCountInterval();
}
