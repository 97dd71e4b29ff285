package io.presence.gateway.hub;

import io.presence.common.event.ChannelEvent;
import io.presence.common.event.Event;
import io.presence.common.event.MemberEvent;
import io.presence.common.presence.PresenceStore.ChannelState;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.store.MemberState;
import io.presence.gateway.protocol.Frames;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One channel as this gateway delivers it to its local subscribers: each event exactly once, in sequence order.
 *
 * <p>It starts from the stored state (number, and for presence channels the members), then applies each event whose
 * number is the next one; an early one waits while the channel reads back what it missed (a lost message, a bus
 * outage, Redis restarted): stored events are replayed in order, members by comparing the stored list with its own,
 * and a departure found only that way is announced after a grace period (members whose gateway re-registers after
 * Redis lost its data come back within it). A subscriber is admitted once the channel has caught up with the number
 * its subscription needs (its own join): it gets the members as of that moment, then every later change.
 *
 * <p>This class is the coordinator and the only lock: it wires the store's reads and the timers to three parts, each
 * with its own state, not thread-safe and called only under this object's monitor: {@link SequencedFeed} (order,
 * early events, phases, replay, {@code events_missed}), {@link MemberMirror} (members, suspects, what each subscriber
 * sees of a change) and {@link Admissions} (waiting and live subscribers, delivery, cache channels); {@link ResumeReplays}
 * reads back what resumed subscribers missed; {@link DepartureCheck}
 * reads the members back once a suspect's grace period is over. Frames are handed to the sockets, which write them later.
 */
public final class LocalChannel {

    private static final Logger LOG = Logger.getLogger(LocalChannel.class);
    /** How long an admission may wait for its number before the channel suspects a lost event and repairs. */
    private static final Duration ADMISSION_PATIENCE = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofMillis(500);
    /** Longest wait for a resumed subscriber's missed events before the gap is reported instead. */
    private static final Duration REPLAY_PATIENCE = Duration.ofSeconds(10);

    /** Reads a channel's stored state (see {@code PresenceStore.state}). */
    public interface Store {
        Uni<ChannelState> state(String appId, String channel, boolean withMembers, Long after);
    }

    /** Runs a task later. */
    public interface Scheduler {
        void schedule(Duration delay, Runnable task);
    }

    /** Told when a subscriber of a cache channel found nothing cached (the app may want a cache_miss webhook). */
    public interface CacheMisses {
        void cacheMiss(String appId, String channel);
    }

    private final String appId;
    private final String name;
    private final String bus;
    private final boolean presence;
    private final Frames frames;
    private final Store store;
    private final Scheduler scheduler;
    private final DeliveryMetrics metrics;
    private final SequencedFeed feed;
    private final MemberMirror members;
    private final Admissions admissions;
    private final DepartureCheck departures;
    private final ResumeReplays replays;

    LocalChannel(String appId, String name, String bus, boolean presence, Frames frames, Store store, Scheduler scheduler,
                 Duration removalGrace, DeliveryMetrics metrics, CacheMisses cacheMisses) {
        this.appId = appId;
        this.name = name;
        this.bus = bus;
        this.presence = presence;
        this.frames = frames;
        this.store = store;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.feed = new SequencedFeed(metrics, new FeedListener());
        this.members = new MemberMirror(name, frames, metrics);
        this.admissions = new Admissions(appId, name, frames, metrics, cacheMisses);
        this.departures = new DepartureCheck(appId, name, store, scheduler, removalGrace, members, this, user -> applyMember(user, null));
        this.replays = new ResumeReplays(name, frames, metrics, admissions, this::readBack, feed::seq);
    }

    public String appId() {
        return appId;
    }

    public String name() {
        return name;
    }

    String bus() {
        return bus;
    }

    /** Registers a subscriber that will be admitted later ({@link #admit}); until then it receives nothing. */
    synchronized void expect(Recipient recipient) {
        admissions.expect(recipient);
    }

    /**
     * Admits a subscriber as soon as the channel has caught up with {@code minSeq}: it is sent
     * {@code subscription_succeeded} (with the members it may see on a presence channel, {@code self} always among
     * them), then every later event. A {@code quiet} admission sends no {@code subscription_succeeded} (the user
     * channel of a sign-in, which the client confirms by subscribing).
     */
    public synchronized void admit(Recipient recipient, Viewer viewer, long minSeq, MemberState self, boolean quiet) {
        admit(recipient, viewer, minSeq, self, quiet, null);
    }

    /**
     * Admits a subscriber as {@link #admit(Recipient, Viewer, long, MemberState, boolean)} does; with a {@link Resume},
     * once the channel has caught up with where the client left off too, and after {@code subscription_succeeded} the
     * subscriber first gets the events it missed (read back from the store), then the live ones that came meanwhile.
     */
    public synchronized void admit(Recipient recipient, Viewer viewer, long minSeq, MemberState self, boolean quiet, Resume resume) {
        long needed = resume == null || resume.expired() ? minSeq : Math.max(minSeq, resume.after());
        Admissions.Admission admission = admissions.await(recipient, viewer, needed, self, quiet, resume);
        if (admission == null) {
            return;
        }
        admitWaiting(); // not before the channel is loaded, which the hub starts once the bus confirmed it listens
        if (admissions.find(recipient) != null) {
            scheduler.schedule(ADMISSION_PATIENCE, () -> stillWaiting(admission));
        }
    }

    /** Answers a subscriber that subscribed again: {@code subscription_succeeded} as of now, or when it is admitted. */
    public synchronized void succeedAgain(Recipient recipient, MemberState self) {
        Viewer viewer = admissions.viewer(recipient);
        if (viewer != null) {
            admissions.target(recipient).send(subscribed(viewer, self)); // after the replay, if one is under way
            return;
        }
        Admissions.Admission waitingOne = admissions.find(recipient);
        if (waitingOne != null) {
            waitingOne.quiet = false; // it will be answered when admitted
        }
    }

    /** Forgets a subscriber, admitted or not. */
    public synchronized void remove(Recipient recipient) {
        admissions.remove(recipient);
    }

    /** True when nobody has been subscribed for at least {@code nanos}. */
    synchronized boolean emptyFor(long nanos, long now) {
        return admissions.emptyFor(nanos, now);
    }

    /**
     * True while the channel is not settled: reading its state, repairing a gap, or holding members a repair found
     * missing until their grace period confirms them gone (a departure it may still announce).
     */
    synchronized boolean unsettled() {
        return feed.unsettled() || members.unsettled();
    }

    public synchronized boolean isLive(Recipient recipient) {
        return admissions.isLive(recipient);
    }

    /** The member a presence channel holds for a user, or null. */
    public synchronized MemberState member(String userId) {
        return members.get(userId);
    }

    /**
     * The subscriber's point of view changed (users blocked or unblocked it): it is told about the members it now
     * sees or no longer sees.
     */
    public synchronized void viewerChanged(Recipient recipient, Set<String> hiddenBy) {
        Admissions.Admission waitingOne = admissions.find(recipient);
        if (waitingOne != null && waitingOne.viewer != null) {
            waitingOne.viewer = waitingOne.viewer.hiddenBy(hiddenBy);
        }
        Viewer before = admissions.viewer(recipient);
        if (before == null) {
            return;
        }
        Viewer after = before.hiddenBy(hiddenBy);
        admissions.setViewer(recipient, after);
        if (presence) {
            members.viewerChanged(admissions.target(recipient), before, after);
        }
    }

    /** Starts following the channel, once the bus confirmed this gateway listens to it: reads its state. */
    synchronized void load() {
        feed.load();
    }

    /** An event from the bus. */
    void onEvent(Event event) {
        synchronized (this) {
            if (feed.onEvent(event)) {
                admitWaiting();
            }
        }
    }

    /** The bus was cut and is back: events may have been lost without a gap showing yet. */
    synchronized void resync() {
        feed.resync();
    }

    /** Reads the stored events after a number for resumed subscribers; answers under this channel's lock. */
    private void readBack(long after, Consumer<ChannelState> answer, Consumer<Throwable> failure) {
        store.state(appId, name, false, after).ifNoItem().after(REPLAY_PATIENCE).fail().subscribe().with(state -> {
            synchronized (this) {
                answer.accept(state);
            }
        }, error -> {
            synchronized (this) {
                failure.accept(error);
            }
        });
    }

    private void fetch(Long after) {
        store.state(appId, name, presence, after).subscribe().with(this::onState, this::onFetchFailed);
    }

    private synchronized void onFetchFailed(Throwable error) {
        LOG.warnf("reading %s failed (%s); retrying", name, error.toString());
        scheduler.schedule(RETRY, () -> {
            synchronized (this) {
                fetch(feed.retryAfter());
            }
        });
    }

    private synchronized void onState(ChannelState state) {
        if (feed.loading()) {
            members.load(state.members());
            admissions.stored(state.cached());
        }
        feed.onState(state);
        admitWaiting();
        feed.repairIfAsked();
    }

    private void apply(Event event) {
        if (event instanceof MemberEvent m) {
            applyMember(m.userId(), m.state());
        } else {
            admissions.deliver((ChannelEvent) event);
        }
    }

    private void applyMember(String user, MemberState after) {
        MemberState before = members.set(user, after);
        if (presence) {
            members.announce(user, before, after, admissions.live());
        }
    }

    private void admitWaiting() {
        if (!feed.started()) {
            return;
        }
        long seq = feed.seq();
        admissions.admitUpTo(seq, a -> {
            Resume resume = a.resume;
            a.recipient.admitted(this, admissions.holding(a.recipient) ? resume.after() : seq);
            if (!a.quiet) {
                a.recipient.send(subscribed(a.viewer, a.self));
                if (resume == null) {
                    admissions.sendCached(a.recipient);
                }
            }
            if (resume != null) {
                replays.admitted(a.recipient, a.viewer, resume, seq);
            }
        });
    }

    private String subscribed(Viewer viewer, MemberState self) {
        return presence ? frames.presenceSubscribed(name, members.visibleTo(viewer, self)) : frames.subscribed(name);
    }

    private synchronized void stillWaiting(Admissions.Admission admission) {
        if (!admissions.isWaiting(admission)) {
            return;
        }
        if (feed.live()) {
            LOG.debugf("%s: a subscriber waits for event %d (at %d): reading the channel back", name, admission.minSeq, feed.seq());
            feed.repair();
        }
        scheduler.schedule(ADMISSION_PATIENCE, () -> stillWaiting(admission));
    }

    /** The feed's requests, answered under this channel's lock (the feed is called only under it). */
    private final class FeedListener implements SequencedFeed.Listener {
        @Override
        public void apply(Event event) {
            LocalChannel.this.apply(event);
        }

        @Override
        public void fetch(Long after) {
            LocalChannel.this.fetch(after);
        }

        @Override
        public void reconcile(Map<String, MemberState> stored) {
            if (presence) { // members missing from the stored list become suspects (see the class comment)
                stored.forEach(LocalChannel.this::applyMember);
                members.suspectMissing(stored);
                departures.confirmLater();
            }
        }

        @Override
        public void eventsMissed(long from, long to) {
            admissions.sendToLive(new Frame(frames.eventsMissed(name, from, to)));
        }
    }
}
