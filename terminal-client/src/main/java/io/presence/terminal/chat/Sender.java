package io.presence.terminal.chat;

import io.presence.terminal.api.ApiException;
import io.presence.terminal.api.SuiteApi;
import io.presence.terminal.api.Wire;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Sends a message with a fresh idempotency key, retried with the same key when the answer is lost or the backend is away. */
final class Sender {

    private static final int ATTEMPTS = 5;
    private static final int MAX_TEXT = 4000;

    private final SuiteApi api;
    private final Out out;
    private final ScheduledExecutorService app;
    private final OpenView view;
    private final Prompt prompt;

    Sender(SuiteApi api, Out out, ScheduledExecutorService app, OpenView view, Prompt prompt) {
        this.api = api;
        this.out = out;
        this.app = app;
        this.view = view;
        this.prompt = prompt;
    }

    void send(Timeline timeline, String text) {
        if (text.length() > MAX_TEXT) {
            out.error("A message has at most 4,000 characters; this one has " + text.length() + ".");
            return;
        }
        deliver(timeline, text, UUID.randomUUID().toString(), 1, 500);
    }

    private void deliver(Timeline timeline, String text, String clientMessageId, int attempt, long delayMillis) {
        api.callAsync("POST", timeline.target().basePath() + "/messages",
                        Map.of("text", text, "clientMessageId", clientMessageId), Wire.Message.class)
                .whenCompleteAsync((message, failure) -> {
                    if (failure == null) {
                        if (timeline == view.timeline()) {
                            timeline.sent(message);
                        }
                        return;
                    }
                    ApiException e = failure instanceof CompletionException && failure.getCause() instanceof ApiException a
                            ? a : new ApiException(0, String.valueOf(failure.getMessage()), null);
                    if (e.retriable() && attempt < ATTEMPTS) {
                        app.schedule(() -> deliver(timeline, text, clientMessageId, attempt + 1, Math.min(delayMillis * 2, 5000)),
                                delayMillis, TimeUnit.MILLISECONDS);
                        return;
                    }
                    out.error("Not sent to " + timeline.target().label() + " (" + Guard.describe(e) + "): " + text);
                    prompt.refresh();
                }, app);
    }
}
