package io.presence.common.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.store.MemberState;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bus encoding round-trips, takes its sequence number from the script, and rejects what is not an event. */
class EventCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What publish.lua does with an encoded event. */
    private static String stamped(long seq, String encoded) {
        return "{\"seq\":" + seq + "," + encoded.substring(1);
    }

    @Test
    void channelEventsRoundTripWithTheirVisibility() {
        ChannelEvent event = ChannelEvent.client("client-typing", "{\"a\":\"\\u0000<b>\"}", "ana", "1.2", "ana", true, Set.of("eve"));
        ChannelEvent decoded = (ChannelEvent) EventCodec.decode(stamped(1_764_641_234_123_457L, EventCodec.encode(event)));
        assertEquals(event.withSeq(1_764_641_234_123_457L), decoded);
        ChannelEvent server = ChannelEvent.server("message", "{}", null);
        ChannelEvent back = (ChannelEvent) EventCodec.decode(stamped(5, EventCodec.encode(server)));
        assertTrue(back.durable());
        assertNull(back.sender());
        assertEquals(Set.of(), back.hiddenFrom());
    }

    @Test
    void memberEventsCarryTheStoredStatusAndVersion() throws Exception {
        MemberState state = new MemberState(JSON.readTree("{\"name\":\"Ana\",\"status\":\"online\"}"), new UserStatus(Status.AWAY, "brb", 9), 42);
        MemberEvent event = (MemberEvent) EventCodec.decode(EventCodec.encode(new MemberEvent(3, "ana", state)));
        assertEquals(3, event.seq());
        assertEquals(42, event.state().version());
        assertEquals("away", event.state().userInfo().get("status").asText(), "the status overrides what user_info was signed with");
        assertEquals("brb", event.state().userInfo().get("text").asText());
        assertTrue(event.state().looksLike(state));
        MemberEvent left = (MemberEvent) EventCodec.decode("{\"seq\":4,\"type\":\"member\",\"user\":\"ana\"}");
        assertNull(left.state());
    }

    @Test
    void commandsRoundTrip() {
        for (ControlCommand c : new ControlCommand[] {new ControlCommand.TerminateConnections("app", "u1"), new ControlCommand.BlocksChanged("u2"),
                new ControlCommand.CloseSockets("app", List.of("1.2", "3.4")), new ControlCommand.CloseSockets("app", List.of())}) {
            assertEquals(c, EventCodec.decodeCommand(EventCodec.encode(c)));
        }
    }

    @Test
    void malformedPayloadsAreRefused() {
        for (String bad : new String[] {"", "[]", "not json", "{\"type\":\"member\"}", "{\"type\":\"other\"}", "{\"type\":\"event\",\"id\":\"x\"}"}) {
            assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decodeCommand("{\"type\":\"blocks\"}"));
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decodeCommand("{\"type\":\"close-sockets\",\"app\":\"a\"}"));
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decodeCommand("{\"type\":\"close-sockets\",\"app\":\"a\",\"sockets\":[1]}"));
    }

    @Test
    void clientEventVisibility() {
        ChannelEvent plain = ChannelEvent.client("client-x", "{}", null, "1.1", "ana", false, Set.of("eve"));
        assertFalse(plain.isFor("1.1", "ana", Set.of()), "never back to the sending socket");
        assertTrue(plain.isFor("1.2", "ana", Set.of()), "the sender's other tabs");
        assertTrue(plain.isFor("2.1", "bob", Set.of()));
        assertFalse(plain.isFor("3.1", "eve", Set.of()), "eve blocked ana");
        assertFalse(plain.isFor("2.1", "bob", Set.of("ana")), "ana blocked bob");
        assertTrue(plain.isFor("4.1", null, Set.of()), "an anonymous subscriber");
        ChannelEvent invisible = ChannelEvent.client("client-x", "{}", null, "1.1", "ana", true, Set.of());
        assertFalse(invisible.isFor("2.1", "bob", Set.of()));
        assertFalse(invisible.isFor("4.1", null, Set.of()));
        assertTrue(invisible.isFor("1.2", "ana", Set.of()));
    }
}
