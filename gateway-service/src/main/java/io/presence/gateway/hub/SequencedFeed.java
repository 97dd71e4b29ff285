package io.presence.gateway.hub;

import io.presence.common.event.ChannelEvent;
import io.presence.common.event.Event;
import io.presence.common.presence.PresenceStore.ChannelState;
import io.presence.common.store.MemberState;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A channel's events in sequence order, each once: the part of a {@link LocalChannel} that follows the channel's
 * sequence numbers, parks events that arrive early, and repairs a gap by reading the stored state back (phases
 * NEW, LOADING, LIVE, REPAIRING; replay of stored and early events; {@code events_missed} when the store lost some).
 *
 * <p>Not thread-safe: every method is called under the owning {@link LocalChannel}'s lock, and calls its
 * {@link Listener} under it.
 */
final class SequencedFeed {

    /** Most early events kept while a gap is repaired; past it they are dropped (the repair reads them back). */
    static final int MAX_AHEAD = 10_000;

    /** What the feed asks of its channel. */
    interface Listener {
        /** The next event in order: deliver it (a channel event) or apply it to the members (a member event). */
        void apply(Event event);

        /** Read the channel's stored state, everything ({@code after} null) or what came after that number. */
        void fetch(Long after);

        /** A repair read the stored member list: bring the channel's members to it (before the missed events). */
        void reconcile(Map<String, MemberState> stored);

        /** Events {@code from} (exclusive) to {@code to} could not all be replayed: tell the subscribers. */
        void eventsMissed(long from, long to);
    }

    private enum Phase { NEW, LOADING, LIVE, REPAIRING }

    private final DeliveryMetrics metrics;
    private final Listener listener;
    private Phase phase = Phase.NEW;
    private long seq;
    private boolean repairAgain;
    private boolean storesEvents;
    private final TreeMap<Long, Event> ahead = new TreeMap<>();

    SequencedFeed(DeliveryMetrics metrics, Listener listener) {
        this.metrics = metrics;
        this.listener = listener;
    }

    /** The number of the last event applied. */
    long seq() {
        return seq;
    }

    /** True while the stored state is read for the first time. */
    boolean loading() {
        return phase == Phase.LOADING;
    }

    /** True once the first read is done (live or repairing): subscribers may be admitted. */
    boolean started() {
        return phase != Phase.NEW && phase != Phase.LOADING;
    }

    /** True while following the channel with no read under way. */
    boolean live() {
        return phase == Phase.LIVE;
    }

    /** True while reading the state, repairing a gap, or owing another repair. */
    boolean unsettled() {
        return phase == Phase.LOADING || phase == Phase.REPAIRING || repairAgain;
    }

    /** Starts following the channel: reads its whole state (once). */
    void load() {
        if (phase != Phase.NEW) {
            return;
        }
        phase = Phase.LOADING;
        listener.fetch(null);
    }

    /**
     * An event from the bus: applied if it is the next one (with the early ones that follow it), dropped if it is
     * old, parked if it is early (starting a repair). True when the feed moved forward.
     */
    boolean onEvent(Event event) {
        if (phase != Phase.LIVE) {
            park(event);
            return false;
        }
        if (event.seq() <= seq) {
            metrics.duplicate();
            return false;
        }
        if (event.seq() != seq + 1) {
            park(event);
            repair();
            return false;
        }
        emit(event);
        seq = event.seq();
        drainAhead();
        return true;
    }

    /** The bus was cut and is back: repairs now, or once the read under way is done. */
    void resync() {
        if (phase == Phase.LIVE) {
            repair();
        } else if (phase != Phase.NEW) {
            repairAgain = true;
        }
    }

    /** Where a failed read starts again: everything while loading, else after our number. */
    Long retryAfter() {
        return phase == Phase.LOADING ? null : seq;
    }

    /**
     * The stored state arrived: the first read sets our number; a repair replays what came after it. Then the
     * feed is live and applies the early events that now follow.
     */
    void onState(ChannelState state) {
        if (phase == Phase.LOADING) {
            seq = state.seq();
            storesEvents = state.stores();
        } else if (state.seq() >= seq) {
            replay(state);
        }
        phase = Phase.LIVE;
        drainAhead();
    }

    /** Starts the repair a resync asked for while a read was under way (call once the channel admitted). */
    void repairIfAsked() {
        if (repairAgain && phase == Phase.LIVE) {
            repairAgain = false;
            repair();
        }
    }

    /** Reads the channel back after our number, unless a read is under way already. */
    void repair() {
        if (phase != Phase.LIVE) {
            return;
        }
        phase = Phase.REPAIRING;
        metrics.gapRepaired();
        listener.fetch(seq);
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
                emit(first.getValue());
                seq = first.getKey();
            } else {
                repair();
                return;
            }
        }
    }

    private void emit(Event event) {
        if (event instanceof ChannelEvent c) {
            storesEvents |= c.durable();
        }
        listener.apply(event);
    }

    /**
     * Delivers what the state says happened after our number: first the member list (member changes are not
     * stored, so their place among the other events is unknown; the current members come first), then the stored
     * events together with the client events that arrived early, in order.
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
        listener.reconcile(state.members());
        missed.values().forEach(this::emit);
        if (!state.complete() && (storesEvents || state.stores())) {
            metrics.missed();
            listener.eventsMissed(seq, state.seq());
        }
        storesEvents |= state.stores();
        seq = state.seq();
    }
}
