package io.presence.gateway.hub;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/** Confirms, a grace period after a repair found members missing, which of them have left: reads the members again. */
final class DepartureCheck {

    private final String appId;
    private final String channel;
    private final LocalChannel.Store store;
    private final LocalChannel.Scheduler scheduler;
    private final Duration grace;
    private final MemberMirror members;
    /** The channel's lock: the mirror is called only under it. */
    private final Object lock;
    /** Applies the departure of a member confirmed gone, under the lock. */
    private final Consumer<String> departed;

    DepartureCheck(String appId, String channel, LocalChannel.Store store, LocalChannel.Scheduler scheduler, Duration grace,
                   MemberMirror members, Object lock, Consumer<String> departed) {
        this.appId = appId;
        this.channel = channel;
        this.store = store;
        this.scheduler = scheduler;
        this.grace = grace;
        this.members = members;
        this.lock = lock;
        this.departed = departed;
    }

    /** Starts a check of the current suspects, unless one is running; called under the lock. */
    void confirmLater() {
        Set<String> due = members.startConfirming();
        if (due != null) {
            scheduler.schedule(grace, () -> confirm(due));
        }
    }

    /** Reads the members again; those of {@code due} still missing (and not back meanwhile) have left. */
    private void confirm(Set<String> due) {
        store.state(appId, channel, true, null).subscribe().with(state -> {
            synchronized (lock) {
                members.confirmed(due, state.members()).forEach(departed);
                confirmLater();
            }
        }, error -> {
            synchronized (lock) {
                members.confirmFailed();
                confirmLater();
            }
        });
    }
}
