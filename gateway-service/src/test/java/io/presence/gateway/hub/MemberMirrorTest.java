package io.presence.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.store.MemberState;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import io.presence.gateway.protocol.Frames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The member mirror alone: the list it holds, its suspects, and the frames each viewer gets for a change. */
class MemberMirrorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MemberMirror mirror = new MemberMirror("presence-a", new Frames(JSON), new DeliveryMetrics(new SimpleMeterRegistry()));

    private static MemberState member(String name, Status status) {
        return new MemberState(JSON.createObjectNode().put("name", name), new UserStatus(status, "", 0), 1);
    }

    @Test
    void setReturnsTheMemberHeldBefore() {
        MemberState ana = member("ana", Status.ONLINE);
        assertNull(mirror.set("ana", ana));
        MemberState away = member("ana", Status.AWAY);
        assertSame(ana, mirror.set("ana", away));
        assertSame(away, mirror.get("ana"));
        assertSame(away, mirror.set("ana", null));
        assertNull(mirror.get("ana"));
    }

    @Test
    void suspectsAreGoneOnlyWhenTheSecondReadStillLacksThem() {
        mirror.load(Map.of("ana", member("ana", Status.ONLINE), "bob", member("bob", Status.ONLINE),
                "cid", member("cid", Status.ONLINE)));
        assertFalse(mirror.unsettled());
        assertNull(mirror.startConfirming(), "no suspects, nothing to confirm");

        mirror.suspectMissing(Map.of("ana", member("ana", Status.ONLINE)));
        assertTrue(mirror.unsettled());
        Set<String> due = mirror.startConfirming();
        assertEquals(Set.of("bob", "cid"), due);
        assertNull(mirror.startConfirming(), "one confirmation at a time");

        assertEquals(List.of("cid"), mirror.confirmed(due, Map.of("bob", member("bob", Status.ONLINE))),
                "bob is back, cid is gone");
        assertEquals(List.of(), mirror.confirmed(Set.of("bob"), Map.of()), "bob is no suspect any more");
        assertEquals(List.of("cid"), mirror.confirmed(Set.of("cid"), Map.of()), "the caller removes cid, not the mirror");
        mirror.set("cid", null);
        assertFalse(mirror.unsettled());
    }

    @Test
    void aSuspectThatChangesIsNoSuspect() {
        mirror.load(Map.of("ana", member("ana", Status.ONLINE)));
        mirror.suspectMissing(Map.of());
        Set<String> due = mirror.startConfirming();
        mirror.set("ana", member("ana", Status.AWAY));
        assertEquals(List.of(), mirror.confirmed(due, Map.of()));
        assertFalse(mirror.unsettled());
    }

    @Test
    void aFailedConfirmationCanBeStartedAgain() {
        mirror.load(Map.of("ana", member("ana", Status.ONLINE)));
        mirror.suspectMissing(Map.of());
        assertEquals(Set.of("ana"), mirror.startConfirming());
        mirror.confirmFailed();
        assertEquals(Set.of("ana"), mirror.startConfirming());
    }

    @Test
    void eachViewerIsToldWhatItSeesWithOneFramePerKind() {
        RecordingRecipient zed = new RecordingRecipient("1.1");
        RecordingRecipient yan = new RecordingRecipient("1.2");
        RecordingRecipient blocked = new RecordingRecipient("1.3");
        RecordingRecipient ana = new RecordingRecipient("1.4");
        Map<Recipient, Viewer> live = new LinkedHashMap<>();
        live.put(zed, new Viewer("zed", Set.of()));
        live.put(yan, new Viewer("yan", Set.of()));
        live.put(blocked, new Viewer("bob", Set.of("ana")));
        live.put(ana, new Viewer("ana", Set.of()));

        MemberState joined = member("ana", Status.ONLINE);
        mirror.announce("ana", mirror.set("ana", joined), joined, live);
        assertEquals(List.of("pusher_internal:member_added ana"), zed.members());
        assertSame(zed.frames.get(0), yan.frames.get(0), "encoded once");
        assertEquals(List.of(), blocked.members(), "ana hides from bob");
        assertEquals(List.of("ana"), ana.observed, "ana's own socket learns its state");

        mirror.announce("ana", mirror.set("ana", null), null, live);
        assertEquals(List.of("pusher_internal:member_added ana", "pusher_internal:member_removed ana"), zed.members());
        assertEquals(List.of(), blocked.members());
    }

    @Test
    void aViewerThatChangesIsToldTheDifference() {
        mirror.load(Map.of("ana", member("ana", Status.ONLINE)));
        RecordingRecipient bob = new RecordingRecipient("1.5");
        mirror.viewerChanged(bob, new Viewer("bob", Set.of()), new Viewer("bob", Set.of("ana")));
        assertEquals(List.of("pusher_internal:member_removed ana"), bob.members());
        mirror.viewerChanged(bob, new Viewer("bob", Set.of("ana")), new Viewer("bob", Set.of("ana")));
        assertEquals(1, bob.frames.size(), "no change, no frame");
    }

    @Test
    void theVisibleListHasTheViewerItselfAlways() {
        mirror.load(Map.of("ana", member("ana", Status.ONLINE)));
        assertEquals(List.of("ana", "zed"), List.copyOf(mirror.visibleTo(new Viewer("zed", Set.of()), member("zed", Status.ONLINE)).keySet()));
        assertEquals(List.of("zed"), List.copyOf(mirror.visibleTo(new Viewer("zed", Set.of("ana")), member("zed", Status.ONLINE)).keySet()));
        assertEquals(List.of("ana"), List.copyOf(mirror.visibleTo(Viewer.WORLD, null).keySet()));
    }
}
