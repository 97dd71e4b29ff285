package io.presence.common.event;

import java.time.Duration;

/**
 * How much of a channel's event stream is kept, per app: the events resumes and gap repair read back. The one place
 * that turns an app's settings ({@code resumeWindowSeconds}, {@code maxStoredEventsPerChannel}) into the figures the
 * publishing and reading scripts use.
 */
public interface StreamRetention {

    /**
     * What one app's channels keep.
     *
     * @param maxEvents how many sequence numbers back the stream reaches (older events are trimmed)
     * @param maxAge    how long an event is kept ({@link Duration#ZERO}: no limit by age)
     */
    record Retention(int maxEvents, Duration maxAge) {
    }

    /** What the channels of {@code appId} keep. */
    Retention of(String appId);

    /** The same retention for every app (tests, tools). */
    static StreamRetention fixed(int maxEvents, Duration maxAge) {
        Retention retention = new Retention(maxEvents, maxAge);
        return appId -> retention;
    }
}
