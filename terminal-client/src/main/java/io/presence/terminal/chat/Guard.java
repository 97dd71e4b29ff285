package io.presence.terminal.chat;

import io.presence.terminal.api.ApiException;

/** Runs a step of the chat so that a failure is printed as an error line instead of ending the chat. */
final class Guard {

    private final Out out;

    Guard(Out out) {
        this.out = out;
    }

    void run(Runnable action) {
        try {
            action.run();
        } catch (ApiException e) {
            out.error(describe(e));
        } catch (RuntimeException e) {
            out.error("Something went wrong: " + e);
        }
    }

    /** A failed call in words: an ended session, a rate limit with its wait, or the server's own message. */
    static String describe(ApiException e) {
        if (e.status() == 401) {
            return "Your session has ended: start the chat again to log in.";
        }
        if (e.status() == 429) {
            return e.getMessage() + e.retryAfter().map(d -> " (try again in " + d.toSeconds() + " s)").orElse("");
        }
        return e.getMessage();
    }
}
