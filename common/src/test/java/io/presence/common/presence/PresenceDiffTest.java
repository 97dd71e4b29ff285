package io.presence.common.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.presence.common.presence.PresenceDiff.Change;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.store.MemberState;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every kind of presence change, seen by the member themselves, by others, and by someone the member blocked. */
class PresenceDiffTest {

    private static final MemberState ONLINE = state(Status.ONLINE, "");
    private static final MemberState BUSY = state(Status.BUSY, "focus");
    private static final MemberState INVISIBLE = state(Status.INVISIBLE, "");
    private static final Viewer SELF = new Viewer("ana", Set.of());
    private static final Viewer OTHER = new Viewer("bob", Set.of());
    private static final Viewer BLOCKED = new Viewer("eve", Set.of("ana"));

    private static MemberState state(Status status, String text) {
        return new MemberState(JsonNodeFactory.instance.objectNode().put("name", "Ana"), new UserStatus(status, text, 0), 1);
    }

    @Test
    void joinsAndLeaves() {
        assertEquals(Change.ADDED, PresenceDiff.between("ana", null, ONLINE, OTHER));
        assertEquals(Change.REMOVED, PresenceDiff.between("ana", ONLINE, null, OTHER));
        assertEquals(Change.NONE, PresenceDiff.between("ana", null, ONLINE, BLOCKED));
        assertEquals(Change.NONE, PresenceDiff.between("ana", null, INVISIBLE, OTHER), "an invisible join is not seen");
        assertEquals(Change.NONE, PresenceDiff.between("ana", INVISIBLE, null, OTHER), "nor an invisible leave");
        assertEquals(Change.NONE, PresenceDiff.between("ana", null, null, OTHER));
    }

    @Test
    void statusesAndInvisibility() {
        assertEquals(Change.UPDATED, PresenceDiff.between("ana", ONLINE, BUSY, OTHER));
        assertEquals(Change.NONE, PresenceDiff.between("ana", ONLINE, ONLINE.withStatus(ONLINE.status(), 7), OTHER),
                "a new version that looks the same is not news");
        assertEquals(Change.REMOVED, PresenceDiff.between("ana", BUSY, INVISIBLE, OTHER), "going invisible looks like leaving");
        assertEquals(Change.UPDATED, PresenceDiff.between("ana", BUSY, INVISIBLE, SELF), "but not to oneself");
        assertEquals(Change.ADDED, PresenceDiff.between("ana", INVISIBLE, ONLINE, OTHER));
        assertEquals(Change.UPDATED, PresenceDiff.between("ana", INVISIBLE, ONLINE, SELF));
        assertEquals(Change.NONE, PresenceDiff.between("ana", ONLINE, BUSY, BLOCKED));
    }

    @Test
    void blocksChangeWhatAViewerSees() {
        Viewer bobBlocked = OTHER.hiddenBy(Set.of("ana"));
        assertEquals(Change.REMOVED, PresenceDiff.between("ana", ONLINE, ONLINE, OTHER, bobBlocked));
        assertEquals(Change.ADDED, PresenceDiff.between("ana", ONLINE, ONLINE, bobBlocked, OTHER));
        assertEquals(Change.NONE, PresenceDiff.between("ana", INVISIBLE, INVISIBLE, bobBlocked, OTHER), "unblocked, but invisible");
        assertEquals(Change.ADDED, PresenceDiff.between("ana", ONLINE, BUSY, bobBlocked, OTHER), "unblocked while changing: seen as now");
    }

    @Test
    void theWorldSeesWhatEveryNonBlockedOtherSees() {
        assertEquals(Change.ADDED, PresenceDiff.between("ana", null, ONLINE, Viewer.WORLD));
        assertEquals(Change.REMOVED, PresenceDiff.between("ana", ONLINE, INVISIBLE, Viewer.WORLD));
    }
}
