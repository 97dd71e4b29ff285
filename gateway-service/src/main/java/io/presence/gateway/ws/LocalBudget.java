package io.presence.gateway.ws;

import java.time.Duration;

/**
 * A budget held in this gateway's memory for one holder (a socket, a client address): {@code limit} takes at once,
 * then one more every {@code per / limit} (GCRA, the token bucket of common's cluster-wide Budgets, without Redis).
 * The limit is passed on each take, so a limit changed meanwhile (an app's) applies at once.
 */
final class LocalBudget {

    /** GCRA's theoretical arrival time: the budget is whole again at this instant (System.nanoTime). */
    private long full = System.nanoTime();

    /** Takes one; false, taking nothing, when {@code limit} were taken within the last {@code per}. A negative limit is none. */
    synchronized boolean take(int limit, Duration per, long nowNanos) {
        if (limit < 0) {
            return true;
        }
        if (limit == 0) {
            return false;
        }
        long interval = Math.max(1, per.toNanos() / limit);
        long start = full - nowNanos > 0 ? full : nowNanos;
        if (start - nowNanos > per.toNanos() - interval) {
            return false;
        }
        full = start + interval;
        return true;
    }

    /** True when nothing is taken any more: forgetting the budget then loses nothing. */
    synchronized boolean whole(long nowNanos) {
        return full - nowNanos <= 0;
    }
}
