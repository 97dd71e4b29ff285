package io.presence.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.event.ChannelEvent;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.gateway.protocol.Frames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admissions alone: who waits, who is admitted when, who gets a channel event, and what a cache channel sends. */
class AdmissionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> cacheMisses = new ArrayList<>();

    private Admissions admissions(String channel) {
        return new Admissions("app", channel, new Frames(JSON), new DeliveryMetrics(new SimpleMeterRegistry()),
                (app, name) -> cacheMisses.add(app + "/" + name));
    }

    private static ChannelEvent message(long seq, String text) {
        return ChannelEvent.server("message", text, null).withSeq(seq);
    }

    @Test
    void eachIsAdmittedOnceTheChannelReachedItsNumberInTheOrderTheyCame() {
        Admissions a = admissions("private-room");
        RecordingRecipient early = new RecordingRecipient("1.1");
        RecordingRecipient late = new RecordingRecipient("1.2");
        RecordingRecipient unknown = new RecordingRecipient("1.3");
        a.expect(early);
        a.expect(unknown);
        a.expect(early);
        a.await(late, Viewer.WORLD, 12, null, false, null);
        a.await(early, Viewer.WORLD, 11, null, false, null);

        List<Recipient> welcomed = new ArrayList<>();
        a.admitUpTo(10, x -> welcomed.add(x.recipient));
        assertEquals(List.of(), welcomed, "nobody's number reached");
        a.admitUpTo(12, x -> welcomed.add(x.recipient));
        assertEquals(List.of(early, late), welcomed, "in the order they were expected, once");
        assertTrue(a.isLive(early) && a.isLive(late));
        assertFalse(a.isLive(unknown), "its number is unknown yet");
        assertNotNull(a.find(unknown));

        assertNull(a.await(early, Viewer.WORLD, 20, null, false, null), "live already");
        a.expect(early);
        assertNull(a.find(early), "live already");
    }

    @Test
    void aNegativeNumberMeansFromTheStart() {
        Admissions a = admissions("private-room");
        RecordingRecipient s = new RecordingRecipient("1.1");
        a.await(s, Viewer.WORLD, -5, null, false, null);
        List<Recipient> welcomed = new ArrayList<>();
        a.admitUpTo(0, x -> welcomed.add(x.recipient));
        assertEquals(List.of(s), welcomed);
    }

    @Test
    void onlyLiveSubscribersThatMayGetItGetAnEvent() {
        Admissions a = admissions("private-room");
        RecordingRecipient live = new RecordingRecipient("1.1");
        RecordingRecipient sender = new RecordingRecipient("1.2");
        RecordingRecipient waiting = new RecordingRecipient("1.3");
        a.await(live, Viewer.WORLD, 0, null, false, null);
        a.await(sender, Viewer.WORLD, 0, null, false, null);
        a.admitUpTo(0, x -> { });
        a.expect(waiting);

        a.deliver(ChannelEvent.server("message", "hi", "1.2").withSeq(1));
        assertEquals(List.of("message hi"), live.events());
        assertEquals(List.of(), sender.events(), "excluded by its socket id");
        assertEquals(List.of(), waiting.events(), "not admitted yet");

        a.sendToLive(new Frame("{\"event\":\"x\",\"data\":\"y\"}"));
        assertEquals(List.of("message hi", "x y"), live.events());
        assertEquals(List.of(), waiting.events());
    }

    @Test
    void aCacheChannelSendsItsLastDurableEventOrACacheMiss() {
        Admissions a = admissions("cache-room");
        RecordingRecipient first = new RecordingRecipient("1.1");
        a.sendCached(first);
        assertEquals(List.of("pusher:cache_miss {}"), first.events());
        assertEquals(List.of("app/cache-room"), cacheMisses);

        a.deliver(message(1, "one"));
        a.deliver(message(2, "two"));
        RecordingRecipient second = new RecordingRecipient("1.2");
        a.sendCached(second);
        assertEquals(List.of("message two"), second.events());
        assertEquals(1, cacheMisses.size());

        Admissions loaded = admissions("cache-room");
        loaded.stored(message(7, "seven"));
        RecordingRecipient third = new RecordingRecipient("1.3");
        loaded.sendCached(third);
        assertEquals(List.of("message seven"), third.events(), "the event the first read found");
    }

    @Test
    void otherChannelsSendNothingCached() {
        Admissions a = admissions("private-room");
        a.deliver(message(1, "one"));
        RecordingRecipient s = new RecordingRecipient("1.1");
        a.sendCached(s);
        assertEquals(List.of(), s.events());
        assertEquals(List.of(), cacheMisses);
    }

    @Test
    void emptyOnlyOnceTheLastOneLeft() {
        Admissions a = admissions("private-room");
        RecordingRecipient s = new RecordingRecipient("1.1");
        a.expect(s);
        long now = System.nanoTime();
        assertFalse(a.emptyFor(0, now), "one waiting");
        a.remove(s);
        long after = System.nanoTime();
        assertTrue(a.emptyFor(0, after));
        assertFalse(a.emptyFor(Long.MAX_VALUE, after), "not empty for that long");
    }
}
