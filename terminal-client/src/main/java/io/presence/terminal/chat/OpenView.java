package io.presence.terminal.chat;

import io.presence.terminal.api.SuiteApi;
import java.util.concurrent.ScheduledExecutorService;

/** The open room or conversation: its timeline, and the status line's view of it. Runs on the app thread. */
final class OpenView {

    private final SuiteApi api;
    private final Out out;
    private final Render render;
    private final ScheduledExecutorService app;
    private final StatusBar bar;
    private final PresenceMaps presence;
    private Timeline timeline;
    private volatile String channel;

    OpenView(SuiteApi api, Out out, Render render, ScheduledExecutorService app, StatusBar bar, PresenceMaps presence) {
        this.api = api;
        this.out = out;
        this.render = render;
        this.app = app;
        this.bar = bar;
        this.presence = presence;
    }

    /** Replaces the open view with a new, not yet shown, timeline of {@code target}. */
    Timeline open(Target target) {
        if (timeline != null) {
            timeline.close();
        }
        timeline = new Timeline(target, api, out, render, app);
        channel = target.channel();
        bar.view(target.label());
        if (target.isRoom() && presence.knows(target.channel())) {
            bar.here(presence.here(target.channel()).size());
        }
        return timeline;
    }

    void close() {
        if (timeline != null) {
            timeline.close();
        }
        timeline = null;
        channel = null;
        bar.view(null);
    }

    /** The open timeline, null when nothing is open. */
    Timeline timeline() {
        return timeline;
    }

    /** The open view's channel, null when nothing is open; read from any thread (the typing signal's). */
    String channel() {
        return channel;
    }

    /** Whether {@code channel} is the open view's. */
    boolean shows(String channel) {
        return timeline != null && channel.equals(timeline.target().channel());
    }

    /** Whether {@code channel} is the open view's and the view is a room. */
    boolean showsRoom(String channel) {
        return shows(channel) && timeline.target().isRoom();
    }
}
