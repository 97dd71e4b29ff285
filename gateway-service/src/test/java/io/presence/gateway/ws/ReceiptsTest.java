package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a resumable socket's client acknowledged: only what was written before an answered ping. */
class ReceiptsTest {

    @Test
    void aPongAcknowledgesWhatWasWrittenBeforeItsPingNotAfter() {
        Receipts r = new Receipts();
        r.start("a", 10);
        r.written("a", 11);
        r.written("a", 12);
        assertTrue(r.wantsPing());
        r.pinged(); // acknowledges up to 12 once answered
        r.written("a", 13);
        assertFalse(r.wantsPing(), "one ping in flight");
        assertTrue(r.ponged(), "13 is unacknowledged: another ping");
        assertEquals(Map.of("a", 12L), r.positions());
        r.pinged();
        assertFalse(r.ponged());
        assertEquals(Map.of("a", 13L), r.positions());
    }

    @Test
    void untilTheClientAnswersAPingWhatWasWrittenIsRecorded() {
        Receipts r = new Receipts();
        r.start("a", 5);
        r.written("a", 6);
        r.pinged();
        r.written("a", 7);
        assertEquals(Map.of("a", 7L), r.positions(), "a client that never pongs (pusher-java-client): what was written");
        r.ponged();
        assertEquals(Map.of("a", 6L), r.positions(), "one that answers: what it acknowledged");
    }

    @Test
    void channelsStartWhereTheyWereAdmittedAndAreForgottenWhenLeft() {
        Receipts r = new Receipts();
        r.written("unknown", 3);
        assertFalse(r.wantsPing(), "frames of channels not started are not tracked");
        r.start("a", 4);
        r.start("b", 40);
        assertEquals(Map.of("a", 4L, "b", 40L), r.positions());
        r.forget("b");
        r.written("b", 41);
        assertEquals(Map.of("a", 4L), r.positions());
        assertFalse(r.awaiting());
        r.written("a", 5);
        r.pinged();
        assertTrue(r.awaiting());
    }
}
