package io.presence.terminal.chat;

import io.presence.terminal.api.SuiteApi;
import io.presence.terminal.api.Wire;
import java.time.Instant;
import java.time.ZonedDateTime;

/** /status (and /away, /busy, /online, /invisible): shows your status, or sets it with its text and expiry. */
final class StatusCommand {

    private final SuiteApi api;
    private final Out out;
    private final Render render;
    private final Wire.Me me;
    private final StatusBar bar;

    StatusCommand(SuiteApi api, Out out, Render render, Wire.Me me, StatusBar bar) {
        this.api = api;
        this.out = out;
        this.render = render;
        this.me = me;
        this.bar = bar;
    }

    /** {@code args}: what follows /status, e.g. {@code away lunch for 1h}; blank shows the status. */
    void run(String args) {
        if (args.isBlank()) {
            out.info("You are " + bar.myStatus() + (bar.myText().isEmpty() ? "" : ": " + bar.myText()) + ". Change it with "
                    + StatusRequest.USAGE);
            return;
        }
        StatusRequest request;
        try {
            request = StatusRequest.parse(args, ZonedDateTime.now());
        } catch (IllegalArgumentException e) {
            out.error(e.getMessage());
            return;
        }
        Wire.StatusAnswer answer = api.put("/api/presence/users/" + me.id() + "/status", request.body(), Wire.StatusAnswer.class);
        String text = answer.text() == null ? "" : answer.text();
        bar.me(me.handle(), answer.status(), text);
        Instant until = Times.parse(answer.expiresAt());
        String expiry = until == null || until.toEpochMilli() == 0 ? ""
                : " until " + Times.clock(until, render.zone())
                        + (Times.day(until, render.zone()).equals(Times.day(Instant.now(), render.zone())) ? "" : " tomorrow");
        out.info("You are now " + answer.status() + (text.isEmpty() ? "" : ": " + text) + expiry
                + ("invisible".equals(answer.status()) ? " (others see you offline)" : "") + ".");
    }
}
