package io.presence.common.event;

import io.presence.common.store.MemberState;

/**
 * A presence change decided by the presence scripts: the member's state in the channel now, or null when the user
 * left it (their last connection closed or was reaped).
 */
public record MemberEvent(long seq, String userId, MemberState state) implements Event {
}
