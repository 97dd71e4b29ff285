package io.presence.common.presence;

import io.presence.common.store.MemberState;
import java.util.Set;

/**
 * What one subscriber is told about one member when something changes: the one place where every presence change
 * (a join, a leave, a status, going invisible, a block, a reaped node, a re-registration, a repaired gap) becomes
 * {@code member_added}, {@code member_removed}, {@code member_updated} or nothing. A subscriber sees a member
 * while the member is in the channel, has not blocked the subscriber, and is not hidden by their status (or is the
 * subscriber): {@link StatusVisibility} decides that.
 */
public final class PresenceDiff {

    /** What a subscriber is told. */
    public enum Change { NONE, ADDED, REMOVED, UPDATED }

    /**
     * A subscriber's point of view.
     *
     * @param userId   the user the subscriber is in the channel as (null for an observer outside it)
     * @param hiddenBy the users who blocked the subscriber's user
     */
    public record Viewer(String userId, Set<String> hiddenBy) {

        /** Someone outside the channel whom nobody blocked: what the channel looks like to the world (webhooks, the HTTP API). */
        public static final Viewer WORLD = new Viewer(null, Set.of());

        public Viewer {
            hiddenBy = hiddenBy == null ? Set.of() : Set.copyOf(hiddenBy);
        }

        /** Whether this viewer sees the member in this state (null: not in the channel). */
        public boolean sees(String member, MemberState state) {
            return state != null && !hiddenBy.contains(member) && (member.equals(userId) || !StatusVisibility.hides(state.status()));
        }

        public Viewer hiddenBy(Set<String> users) {
            return new Viewer(userId, users);
        }
    }

    private PresenceDiff() {
    }

    /** The change a viewer is told when a member goes from {@code before} to {@code after} (null: not in the channel). */
    public static Change between(String member, MemberState before, MemberState after, Viewer viewer) {
        return between(member, before, after, viewer, viewer);
    }

    /** The same, when the viewer's point of view changes too (they were blocked or unblocked). */
    public static Change between(String member, MemberState before, MemberState after, Viewer viewerBefore, Viewer viewerAfter) {
        boolean saw = viewerBefore.sees(member, before);
        boolean sees = viewerAfter.sees(member, after);
        if (!saw && sees) {
            return Change.ADDED;
        }
        if (saw && !sees) {
            return Change.REMOVED;
        }
        if (saw && !before.looksLike(after)) {
            return Change.UPDATED;
        }
        return Change.NONE;
    }
}
