package io.presence.gateway.hub;

import io.presence.common.event.ChannelEvent;
import io.presence.common.event.Event;
import io.presence.common.event.MemberEvent;
import io.presence.common.presence.ChannelPresence.ChannelState;
import io.presence.common.presence.MemberState;
import io.presence.common.presence.PresenceDiff;
import io.presence.common.presence.PresenceDiff.Change;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.pusher.Channels;
import io.presence.gateway.protocol.Frames;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * One channel as this gateway delivers it to its local subscribers: each event exactly once, in sequence order.
 *
 * <p>The channel follows the channel's sequence numbers. It starts from the stored state (number, and for presence
 * channels the members), then applies each event whose number is the next one; an event it already has is dropped,
 * one that arrives early waits while the channel reads back what it missed (a gap: a lost message, a bus outage,
 * Redis restarted): stored events are replayed in order, and members by comparing the stored list with its own, so
 * subscribers hear only what really changed. A departure found only that way is announced after a grace period
 * (members whose gateway is re-registering after Redis lost its data come back within it).
 *
 * <p>For presence channels it keeps the member list the subscribers were told about, from the events themselves,
 * and turns every change into what each subscriber may see with {@link PresenceDiff}. A subscriber is admitted once
 * the channel has caught up with the number its subscription needs (its own join): it gets the list as of that
 * moment, then every later change; nothing is held or replayed per connection.
 *
 * <p>All state is guarded by this object's monitor; frames are handed to the sockets, which write them later.
 */
public final class LocalChannel {

    private static final Logger LOG = Logger.getLogger(LocalChannel.class);
    /** Most early events kept while a gap is repaired; past it they are dropped (the repair reads them back). */
    private static final int MAX_AHEAD = 10_000;
    /** How long an admission may wait for its number before the channel suspects a lost event and repairs. */
    private static final Duration ADMISSION_PATIENCE = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofMillis(500);

    /** Reads a channel's stored state (see {@code ChannelPresence.state}). */
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

    private enum Phase { NEW, LOADING, LIVE, REPAIRING }

    /** A subscriber waiting to be admitted; {@code minSeq} is unknown (-1) until its subscription is ready. */
    private static final class Admission {
        final Recipient recipient;
        Viewer viewer;
        long minSeq = -1;
        MemberState self;
        boolean quiet;

        Admission(Recipient recipient) {
            this.recipient = recipient;
        }
    }

    private final String appId;
    private final String name;
    private final String bus;
    private final boolean presence;
    private final Frames frames;
    private final Store store;
    private final Scheduler scheduler;
    private final Duration removalGrace;
    private final DeliveryMetrics metrics;
    private final CacheMisses cacheMisses;
    private final boolean cache;

    private Phase phase = Phase.NEW;
    private long seq;
    private boolean repairAgain;
    private boolean storesEvents;
    private final TreeMap<Long, Event> ahead = new TreeMap<>();
    /** Presence channels: every member (invisible ones too) as the subscribers were told. */
    private final Map<String, MemberState> members = new LinkedHashMap<>();
    /** Members missing from a repair's list, not announced as gone before a second read confirms it. */
    private final Set<String> suspects = new HashSet<>();
    private boolean confirming;
    private final Map<Recipient, Viewer> live = new LinkedHashMap<>();
    private final List<Admission> waiting = new ArrayList<>();
    private long emptySince = System.nanoTime();
    /** A cache channel's last stored event, and when this gateway got it (System.nanoTime). */
    private ChannelEvent cached;
    private long cachedAt;

    LocalChannel(String appId, String name, String bus, boolean presence, Frames frames, Store store, Scheduler scheduler,
                 Duration removalGrace, DeliveryMetrics metrics, CacheMisses cacheMisses) {
        this.appId = appId;
        this.name = name;
        this.bus = bus;
        this.presence = presence;
        this.frames = frames;
        this.store = store;
        this.scheduler = scheduler;
        this.removalGrace = removalGrace;
        this.metrics = metrics;
        this.cacheMisses = cacheMisses;
        this.cache = Channels.isCache(name);
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
        if (!live.containsKey(recipient) && find(recipient) == null) {
            waiting.add(new Admission(recipient));
        }
    }

    /**
     * Admits a subscriber as soon as the channel has caught up with {@code minSeq}: it is sent
     * {@code subscription_succeeded} (with the members it may see on a presence channel, {@code self} always among
     * them), then every later event. A {@code quiet} admission sends no {@code subscription_succeeded} (the user
     * channel of a sign-in, which the client confirms by subscribing).
     */
    public synchronized void admit(Recipient recipient, Viewer viewer, long minSeq, MemberState self, boolean quiet) {
        Admission admission = find(recipient);
        if (admission == null) {
            if (live.containsKey(recipient)) {
                return;
            }
            admission = new Admission(recipient);
            waiting.add(admission);
        }
        admission.viewer = viewer;
        admission.minSeq = Math.max(0, minSeq);
        admission.self = self;
        admission.quiet = quiet;
        admitWaiting(); // not before the channel is loaded, which the hub starts once the bus confirmed it listens
        if (find(recipient) != null) {
            Admission pending = admission;
            scheduler.schedule(ADMISSION_PATIENCE, () -> stillWaiting(pending));
        }
    }

    /** Answers a subscriber that subscribed again: {@code subscription_succeeded} as of now, or when it is admitted. */
    public synchronized void succeedAgain(Recipient recipient, MemberState self) {
        Viewer viewer = live.get(recipient);
        if (viewer != null) {
            recipient.send(presence ? frames.presenceSubscribed(name, visibleTo(viewer, self)) : frames.subscribed(name));
            return;
        }
        Admission waitingOne = find(recipient);
        if (waitingOne != null) {
            waitingOne.quiet = false; // it will be answered when admitted
        }
    }

    /** Forgets a subscriber, admitted or not. */
    public synchronized void remove(Recipient recipient) {
        live.remove(recipient);
        waiting.removeIf(a -> a.recipient == recipient);
        if (live.isEmpty() && waiting.isEmpty()) {
            emptySince = System.nanoTime();
        }
    }

    /** True when nobody has been subscribed for at least {@code nanos}. */
    synchronized boolean emptyFor(long nanos, long now) {
        return live.isEmpty() && waiting.isEmpty() && now - emptySince >= nanos;
    }

    /**
     * True while the channel is not settled: reading its state, repairing a gap, or holding members a repair found
     * missing until their grace period confirms them gone (a departure it may still announce).
     */
    synchronized boolean unsettled() {
        return phase == Phase.LOADING || phase == Phase.REPAIRING || repairAgain || confirming || !suspects.isEmpty();
    }

    public synchronized boolean isLive(Recipient recipient) {
        return live.containsKey(recipient);
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
        Admission waitingOne = find(recipient);
        if (waitingOne != null && waitingOne.viewer != null) {
            waitingOne.viewer = waitingOne.viewer.hiddenBy(hiddenBy);
        }
        Viewer before = live.get(recipient);
        if (before == null) {
            return;
        }
        Viewer after = before.hiddenBy(hiddenBy);
        live.put(recipient, after);
        if (presence) {
            members.forEach((user, state) -> send(recipient, PresenceDiff.between(user, state, state, before, after), user, state));
        }
    }

    /** Starts following the channel, once the bus confirmed this gateway listens to it: reads its state. */
    synchronized void load() {
        if (phase != Phase.NEW) {
            return;
        }
        phase = Phase.LOADING;
        fetch(null);
    }

    /** An event from the bus. */
    void onEvent(Event event) {
        synchronized (this) {
            if (phase != Phase.LIVE) {
                park(event);
                return;
            }
            if (event.seq() <= seq) {
                metrics.duplicate();
                return;
            }
            if (event.seq() != seq + 1) {
                park(event);
                repair();
                return;
            }
            apply(event);
            seq = event.seq();
            drainAhead();
            admitWaiting();
        }
    }

    /** The bus was cut and is back: events may have been lost without a gap showing yet. */
    synchronized void resync() {
        if (phase == Phase.LIVE) {
            repair();
        } else if (phase != Phase.NEW) {
            repairAgain = true;
        }
    }

    private void park(Event event) {
        if (ahead.size() >= MAX_AHEAD) {
            ahead.clear();
        }
        ahead.put(event.seq(), event);
    }

    private void drainAhead() {
        while (!ahead.isEmpty()) {
            Map.Entry<Long, Event> first = ahead.firstEntry();
            if (first.getKey() <= seq) {
                ahead.pollFirstEntry();
                metrics.duplicate();
            } else if (first.getKey() == seq + 1) {
                ahead.pollFirstEntry();
                apply(first.getValue());
                seq = first.getKey();
            } else {
                repair();
                return;
            }
        }
    }

    private void repair() {
        if (phase != Phase.LIVE) {
            return;
        }
        phase = Phase.REPAIRING;
        metrics.gapRepaired();
        fetch(seq);
    }

    private void fetch(Long after) {
        store.state(appId, name, presence, after).subscribe().with(this::onState, this::onFetchFailed);
    }

    private synchronized void onFetchFailed(Throwable error) {
        LOG.warnf("reading %s failed (%s); retrying", name, error.toString());
        scheduler.schedule(RETRY, () -> {
            synchronized (this) {
                fetch(phase == Phase.LOADING ? null : seq);
            }
        });
    }

    private synchronized void onState(ChannelState state) {
        if (phase == Phase.LOADING) {
            seq = state.seq();
            storesEvents = state.stores();
            members.putAll(state.members());
            if (cache && state.cached() != null) {
                cached = state.cached();
                cachedAt = System.nanoTime();
            }
        } else if (state.seq() >= seq) {
            replay(state);
        }
        phase = Phase.LIVE;
        drainAhead();
        admitWaiting();
        if (repairAgain && phase == Phase.LIVE) {
            repairAgain = false;
            repair();
        }
    }

    /**
     * Delivers what the state says happened after our number: first the member list, compared with ours (member
     * changes are not stored, so their place among the other events is unknown; the current members come first),
     * then the stored events together with the client events that arrived early, in order.
     */
    private void replay(ChannelState state) {
        TreeMap<Long, ChannelEvent> missed = new TreeMap<>();
        for (Event e : state.events()) {
            if (e instanceof ChannelEvent c && e.seq() > seq && e.seq() <= state.seq()) {
                missed.put(e.seq(), c);
            }
        }
        for (Iterator<Map.Entry<Long, Event>> it = ahead.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Event> early = it.next();
            if (early.getKey() > state.seq()) {
                break;
            }
            if (early.getValue() instanceof ChannelEvent c) {
                missed.putIfAbsent(early.getKey(), c);
            }
            it.remove();
        }
        if (presence) {
            reconcile(state.members());
        }
        missed.values().forEach(this::deliver);
        if (!state.complete() && (storesEvents || state.stores())) {
            metrics.missed();
            Frame frame = new Frame(frames.eventsMissed(name, seq, state.seq()));
            live.keySet().forEach(r -> r.send(frame));
        }
        storesEvents |= state.stores();
        seq = state.seq();
    }

    /** Brings our member list to the stored one; members missing from it become suspects (see the class comment). */
    private void reconcile(Map<String, MemberState> stored) {
        stored.forEach(this::applyMember);
        for (String user : members.keySet()) {
            if (!stored.containsKey(user)) {
                suspects.add(user);
            }
        }
        confirmLater();
    }

    private void confirmLater() {
        if (suspects.isEmpty() || confirming) {
            return;
        }
        confirming = true;
        Set<String> due = Set.copyOf(suspects);
        scheduler.schedule(removalGrace, () -> confirmSuspects(due));
    }

    /** Reads the members again; those of {@code due} still missing (and not back meanwhile) have left. */
    private void confirmSuspects(Set<String> due) {
        store.state(appId, name, true, null).subscribe().with(state -> {
            synchronized (this) {
                confirming = false;
                for (String user : due) {
                    if (!suspects.contains(user)) {
                        continue;
                    }
                    if (state.members().containsKey(user)) {
                        suspects.remove(user);
                    } else {
                        applyMember(user, null);
                    }
                }
                confirmLater();
            }
        }, error -> {
            synchronized (this) {
                confirming = false;
                confirmLater();
            }
        });
    }

    private void apply(Event event) {
        if (event instanceof MemberEvent m) {
            applyMember(m.userId(), m.state());
        } else {
            deliver((ChannelEvent) event);
        }
    }

    private void applyMember(String user, MemberState after) {
        suspects.remove(user);
        MemberState before = after == null ? members.remove(user) : members.put(user, after);
        if (!presence) {
            return;
        }
        Frame[] built = new Frame[Change.values().length]; // each kind of frame encoded once for all subscribers
        for (Map.Entry<Recipient, Viewer> subscriber : live.entrySet()) {
            Viewer viewer = subscriber.getValue();
            if (after != null && user.equals(viewer.userId())) {
                subscriber.getKey().observedSelf(user, after); // before the frame, so its next client event knows
            }
            Change change = PresenceDiff.between(user, before, after, viewer);
            if (change != Change.NONE) {
                if (built[change.ordinal()] == null) {
                    built[change.ordinal()] = new Frame(frame(change, user, after));
                }
                subscriber.getKey().send(built[change.ordinal()]);
                metrics.delivered();
            }
        }
    }

    private void send(Recipient recipient, Change change, String user, MemberState state) {
        if (change != Change.NONE) {
            recipient.send(frame(change, user, state));
            metrics.delivered();
        }
    }

    private String frame(Change change, String user, MemberState state) {
        return switch (change) {
            case NONE -> throw new IllegalArgumentException("no frame for no change");
            case ADDED -> frames.memberAdded(name, user, state.userInfo());
            case REMOVED -> frames.memberRemoved(name, user);
            case UPDATED -> frames.memberUpdated(name, user, state.userInfo());
        };
    }

    private void deliver(ChannelEvent event) {
        storesEvents |= event.durable();
        if (cache && event.durable()) {
            cached = event;
            cachedAt = System.nanoTime();
        }
        Frame frame = null;
        for (Map.Entry<Recipient, Viewer> subscriber : live.entrySet()) {
            Recipient r = subscriber.getKey();
            Viewer viewer = subscriber.getValue();
            if (event.isFor(r.socketId(), viewer.userId(), viewer.hiddenBy())) {
                if (frame == null) {
                    frame = new Frame(frames.channelEvent(name, event));
                }
                r.deliver(event, frame);
                metrics.delivered();
            }
        }
    }

    private void admitWaiting() {
        if (phase == Phase.NEW || phase == Phase.LOADING || waiting.isEmpty()) {
            return;
        }
        for (Iterator<Admission> it = waiting.iterator(); it.hasNext(); ) {
            Admission a = it.next();
            if (a.minSeq < 0 || a.minSeq > seq) {
                continue;
            }
            it.remove();
            live.put(a.recipient, a.viewer);
            a.recipient.admitted(this);
            if (!a.quiet) {
                a.recipient.send(presence ? frames.presenceSubscribed(name, visibleTo(a.viewer, a.self)) : frames.subscribed(name));
                if (cache) {
                    sendCached(a.recipient);
                }
            }
        }
    }

    /** Right after a cache channel's subscription_succeeded: its last event, or pusher:cache_miss. */
    private void sendCached(Recipient recipient) {
        if (cached != null && System.nanoTime() - cachedAt < Channels.CACHE_TTL.toNanos()) {
            recipient.send(frames.channelEvent(name, cached));
            metrics.delivered();
        } else {
            recipient.send(frames.cacheMiss(name));
            cacheMisses.cacheMiss(appId, name);
        }
    }

    /** The members a viewer may see (their user_info as JSON), in join order, with the viewer itself always listed. */
    private Map<String, String> visibleTo(Viewer viewer, MemberState self) {
        Map<String, String> visible = new LinkedHashMap<>();
        members.forEach((user, state) -> {
            if (viewer.sees(user, state)) {
                visible.put(user, state.userInfoJson());
            }
        });
        if (self != null && viewer.userId() != null && !visible.containsKey(viewer.userId())) {
            visible.put(viewer.userId(), self.userInfoJson());
        }
        return visible;
    }

    private synchronized void stillWaiting(Admission admission) {
        if (!waiting.contains(admission)) {
            return;
        }
        if (phase == Phase.LIVE) {
            LOG.debugf("%s: a subscriber waits for event %d (at %d): reading the channel back", name, admission.minSeq, seq);
            repair();
        }
        scheduler.schedule(ADMISSION_PATIENCE, () -> stillWaiting(admission));
    }

    private Admission find(Recipient recipient) {
        for (Admission a : waiting) {
            if (a.recipient == recipient) {
                return a;
            }
        }
        return null;
    }
}
