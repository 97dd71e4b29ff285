package io.presence.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.Event;
import io.presence.common.event.MemberEvent;
import io.presence.common.presence.PresenceStore.ChannelState;
import io.presence.common.store.MemberState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sequenced feed alone: what it applies, fetches and reports, in order, for each arrival and read. */
class SequencedFeedTest {

    /** Records every request of the feed as one line. */
    private static final class Log implements SequencedFeed.Listener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void apply(Event event) {
            lines.add("apply " + event.seq());
        }

        @Override
        public void fetch(Long after) {
            lines.add("fetch " + after);
        }

        @Override
        public void reconcile(Map<String, MemberState> stored) {
            lines.add("reconcile " + stored.keySet());
        }

        @Override
        public void eventsMissed(long from, long to) {
            lines.add("missed " + from + ".." + to);
        }

        List<String> take() {
            List<String> taken = List.copyOf(lines);
            lines.clear();
            return taken;
        }
    }

    private final Log log = new Log();
    private final SequencedFeed feed = new SequencedFeed(new DeliveryMetrics(new SimpleMeterRegistry()), log);

    private static ChannelEvent message(long seq) {
        return ChannelEvent.server("message", "m" + seq, null).withSeq(seq);
    }

    private static ChannelState state(long seq, List<Event> events, boolean complete) {
        return new ChannelState(seq, Map.of(), events, complete, !events.isEmpty(), null);
    }

    /** Loads the feed at seq 10. */
    private void liveAt10() {
        feed.load();
        feed.onState(state(10, List.of(), true));
        assertEquals(List.of("fetch null"), log.take());
        assertTrue(feed.live());
    }

    @Test
    void loadsOnceAndAppliesWhatArrivedMeanwhileInOrder() {
        assertFalse(feed.started());
        feed.load();
        feed.load();
        assertEquals(List.of("fetch null"), log.take(), "one read, however often load is called");
        assertTrue(feed.loading());
        assertTrue(feed.unsettled());
        assertFalse(feed.onEvent(message(12)), "parked while loading");
        assertFalse(feed.onEvent(message(10)), "parked while loading");
        assertFalse(feed.onEvent(message(11)), "parked while loading");
        assertEquals(List.of(), log.take());

        feed.onState(state(10, List.of(), true));
        assertEquals(List.of("apply 11", "apply 12"), log.take(), "10 is in the state already; 11 and 12 follow it");
        assertEquals(12, feed.seq());
        assertTrue(feed.started());
        assertFalse(feed.unsettled());
    }

    @Test
    void appliesTheNextEventAndDropsOldOnes() {
        liveAt10();
        assertTrue(feed.onEvent(message(11)));
        assertFalse(feed.onEvent(message(11)), "a duplicate");
        assertFalse(feed.onEvent(message(5)), "an old one");
        assertTrue(feed.onEvent(new MemberEvent(12, "ana", null)));
        assertEquals(List.of("apply 11", "apply 12"), log.take());
        assertEquals(12, feed.seq());
    }

    @Test
    void aGapIsRepairedWithStoredAndEarlyEventsInOrder() {
        liveAt10();
        assertFalse(feed.onEvent(message(13)));
        assertEquals(List.of("fetch 10"), log.take(), "read back after our number");
        assertFalse(feed.live());
        assertTrue(feed.unsettled());
        assertFalse(feed.onEvent(message(14)), "parked while repairing");
        assertEquals(List.of(), log.take(), "one repair at a time");

        feed.onState(state(13, List.of(message(11), message(12), message(13)), true));
        assertEquals(List.of("reconcile []", "apply 11", "apply 12", "apply 13", "apply 14"), log.take(),
                "members first, the stored events, then the early one that follows");
        assertEquals(14, feed.seq());
        assertFalse(feed.unsettled());
    }

    @Test
    void eventsTheStoreLostAreReportedOnceAfterWhatCouldBeReplayed() {
        liveAt10();
        feed.onEvent(message(16));
        log.take();
        feed.onState(state(16, List.of(message(15)), false));
        assertEquals(List.of("reconcile []", "apply 15", "apply 16", "missed 10..16"), log.take());
        assertEquals(16, feed.seq());
    }

    @Test
    void aRepairOfAChannelThatStoresNothingReportsNoLoss() {
        liveAt10();
        feed.resync();
        assertEquals(List.of("fetch 10"), log.take());
        feed.onState(state(12, List.of(), false));
        assertEquals(List.of("reconcile []"), log.take(), "nothing stored, nothing lost");
        assertEquals(12, feed.seq());
    }

    @Test
    void aResyncDuringARead() {
        feed.resync();
        assertEquals(List.of(), log.take(), "nothing to repair before loading");
        feed.load();
        feed.resync();
        assertTrue(feed.unsettled());
        feed.onState(state(10, List.of(), true));
        assertEquals(List.of("fetch null"), log.take(), "the repair waits until the channel admitted");
        feed.repairIfAsked();
        assertEquals(List.of("fetch 10"), log.take());
        feed.repairIfAsked();
        assertEquals(List.of(), log.take(), "once");
    }

    @Test
    void aFailedReadIsRetriedFromWhereItStarted() {
        feed.load();
        assertEquals(null, feed.retryAfter(), "the whole state while loading");
        feed.onState(state(10, List.of(), true));
        feed.repair();
        assertEquals(10L, feed.retryAfter());
    }

    @Test
    void tooManyEarlyEventsAreDroppedAndReadBack() {
        liveAt10();
        for (long seq = 12; seq < 12 + SequencedFeed.MAX_AHEAD + 1; seq++) {
            feed.onEvent(message(seq));
        }
        assertEquals(List.of("fetch 10"), log.take());
        feed.onState(state(11, List.of(message(11)), true));
        assertEquals(List.of("reconcile []", "apply 11", "fetch 11"), log.take(),
                "past the limit the early ones were dropped but the last: a new gap, a new read");
        assertEquals(11, feed.seq());
    }
}
