package io.presence.gateway.hub;

import io.presence.common.event.ChannelEvent;
import io.presence.common.event.Event;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.presence.PresenceStore.ChannelState;
import io.presence.gateway.protocol.Frames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The missed events of a channel's resumed subscribers, read back from the store together: one read at a time per
 * channel, from the earliest position of everyone waiting, so a reconnect storm of many clients on one channel costs a
 * few reads rather than one each. Each subscriber gets the events after its own position up to the channel's number at
 * its admission, then the live frames that waited in {@link Admissions}; or {@code pusher:events_missed} when the store
 * no longer has them all or could not be read.
 *
 * <p>Not thread-safe: every method is called under the owning {@link LocalChannel}'s lock (the reader answers under it).
 */
final class ResumeReplays {

    private static final Logger LOG = Logger.getLogger(ResumeReplays.class);

    /** Reads the channel's stored events after a number and answers (under the channel's lock) with the state or a failure. */
    interface Reader {
        void read(long after, Consumer<ChannelState> answer, Consumer<Throwable> failure);
    }

    /** A resumed subscriber waiting for its missed events: those after {@code resume.after()} up to {@code upTo}. */
    private record Waiting(Recipient recipient, Viewer viewer, Resume resume, long upTo) {
    }

    private final String name;
    private final Frames frames;
    private final DeliveryMetrics metrics;
    private final Admissions admissions;
    private final Reader reader;
    /** The channel's number now (where a gap left by too many held frames ends). */
    private final LongSupplier current;
    private final List<Waiting> waiting = new ArrayList<>();
    private boolean reading;

    ResumeReplays(String name, Frames frames, DeliveryMetrics metrics, Admissions admissions, Reader reader, LongSupplier current) {
        this.name = name;
        this.frames = frames;
        this.metrics = metrics;
        this.admissions = admissions;
        this.reader = reader;
        this.current = current;
    }

    /**
     * A resumed subscriber was admitted at {@code upTo}, after its {@code subscription_succeeded}: told the gap when
     * its window passed, else (its live frames held) its missed events are read back.
     */
    void admitted(Recipient recipient, Viewer viewer, Resume resume, long upTo) {
        metrics.resumed();
        if (resume.expired()) {
            metrics.resumeTooOld();
            recipient.send(frames.eventsMissed(name, resume.after(), upTo));
        } else if (admissions.holding(recipient)) {
            add(recipient, viewer, resume, upTo);
        }
    }

    private void add(Recipient recipient, Viewer viewer, Resume resume, long upTo) {
        waiting.add(new Waiting(recipient, viewer, resume, upTo));
        if (!reading) {
            readNext();
        }
    }

    private void readNext() {
        if (waiting.isEmpty()) {
            return;
        }
        List<Waiting> batch = new ArrayList<>(waiting);
        waiting.clear();
        reading = true;
        long after = batch.stream().mapToLong(w -> w.resume().after()).min().orElseThrow();
        reader.read(after, state -> answered(batch, state), error -> failed(batch, error));
    }

    private void answered(List<Waiting> batch, ChannelState state) {
        reading = false;
        for (Waiting w : batch) {
            if (!admissions.holding(w.recipient())) {
                continue; // unsubscribed meanwhile
            }
            if (!state.complete()) {
                missed(w);
            } else {
                send(w, state);
            }
            release(w);
        }
        readNext();
    }

    private void failed(List<Waiting> batch, Throwable error) {
        reading = false;
        LOG.warnf("reading back %s for %d resumed subscribers failed (%s): reporting the gap", name, batch.size(), error.toString());
        for (Waiting w : batch) {
            if (admissions.holding(w.recipient())) {
                missed(w);
                release(w);
            }
        }
        readNext();
    }

    private void send(Waiting w, ChannelState state) {
        Viewer viewer = w.viewer();
        String previous = w.resume().previousSocketId();
        for (Event e : state.events()) {
            if (e instanceof ChannelEvent c && c.seq() > w.resume().after() && c.seq() <= w.upTo()
                    && c.isFor(w.recipient().socketId(), viewer.userId(), viewer.hiddenBy())
                    && (previous == null || c.isFor(previous, viewer.userId(), viewer.hiddenBy()))) {
                w.recipient().deliver(name, c, new Frame(frames.channelEvent(name, c)));
                metrics.replayed();
            }
        }
    }

    private void missed(Waiting w) {
        metrics.resumeTooOld();
        w.recipient().send(frames.eventsMissed(name, w.resume().after(), w.upTo()));
    }

    /** The held live frames follow; if too many waited they were dropped, and that gap is reported instead. */
    private void release(Waiting w) {
        if (!admissions.release(w.recipient())) {
            metrics.resumeTooOld();
            w.recipient().send(frames.eventsMissed(name, w.upTo(), current.getAsLong()));
        }
    }
}
