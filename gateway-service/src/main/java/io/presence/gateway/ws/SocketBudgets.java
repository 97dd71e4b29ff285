package io.presence.gateway.ws;

import java.time.Duration;

/** One socket's own budgets: its subscribe frames, and its client events by its app's limit and by the gateway's. */
final class SocketBudgets {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    /** Its pusher:subscribe and pusher:unsubscribe frames. */
    private final LocalBudget subscribeFrames = new LocalBudget();
    /** Its client events, by its app's maxClientEventsPerSecond. */
    private final LocalBudget appClientEvents = new LocalBudget();
    /** Its client events, by the gateway's client-event-limit (whatever the app allows). */
    private final LocalBudget clientEvents = new LocalBudget();

    /** Takes one pusher:subscribe or pusher:unsubscribe frame from its budget; false when over. */
    boolean takeSubscribeFrame(int limit, Duration per, long nowNanos) {
        return subscribeFrames.take(limit, per, nowNanos);
    }

    /** Takes one client event from its app's per-second budget; false when over. */
    boolean takeAppClientEvent(int perSecond, long nowNanos) {
        return appClientEvents.take(perSecond, ONE_SECOND, nowNanos);
    }

    /** Takes one client event from the gateway's budget per socket; false when over. */
    boolean takeClientEvent(int limit, Duration per, long nowNanos) {
        return clientEvents.take(limit, per, nowNanos);
    }
}
