package io.presence.common.session;

/**
 * The user behind a live session, as user-service describes them.
 *
 * @param id          the account id, as user-service spells it
 * @param displayName the display name, or the handle when none is set
 */
public record SessionUser(String id, String handle, String displayName) {
}
