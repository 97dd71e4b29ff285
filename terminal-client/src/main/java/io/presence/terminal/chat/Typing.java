package io.presence.terminal.chat;

import io.presence.terminal.realtime.Realtime;
import java.util.concurrent.TimeUnit;

/** The typing signal sent to the open view: one client-typing a second at most, as the browser does. */
final class Typing {

    private static final long SEND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Realtime realtime;
    private final OpenView view;
    private volatile long lastSent = System.nanoTime() - SEND_NANOS;

    Typing(Realtime realtime, OpenView view) {
        this.realtime = realtime;
        this.view = view;
    }

    /** Called on the input thread for each typed character. */
    void typed() {
        String channel = view.channel();
        long now = System.nanoTime();
        if (channel == null || now - lastSent < SEND_NANOS) {
            return;
        }
        lastSent = now;
        realtime.trigger(channel, "client-typing", "{}");
    }
}
