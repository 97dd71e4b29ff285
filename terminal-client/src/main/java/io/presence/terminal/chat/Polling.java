package io.presence.terminal.chat;

import io.presence.terminal.realtime.Realtime;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The chat's timers on the app thread: the status line's notices and typists expire (checked every 250 ms), and the
 * lists are fetched again every 20 s while connected, since requests and invitations have no live events (as the
 * browser does).
 */
final class Polling {

    private static final long POLL_SECONDS = 20;

    private final ScheduledExecutorService app;
    private final Guard guard;
    private final StatusBar bar;
    private final Subscriptions subscriptions;
    private final Prompt prompt;

    Polling(ScheduledExecutorService app, Guard guard, StatusBar bar, Subscriptions subscriptions, Prompt prompt) {
        this.app = app;
        this.guard = guard;
        this.bar = bar;
        this.subscriptions = subscriptions;
        this.prompt = prompt;
    }

    void start() {
        app.scheduleWithFixedDelay(() -> guard.run(this::expire), 250, 250, TimeUnit.MILLISECONDS);
        app.scheduleWithFixedDelay(() -> guard.run(this::poll), POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
    }

    private void poll() {
        if (bar.connection() == Realtime.State.CONNECTED) {
            subscriptions.refreshLists();
            prompt.refresh();
        }
    }

    private void expire() {
        if (bar.expire(System.nanoTime())) {
            prompt.refresh();
        }
    }
}
