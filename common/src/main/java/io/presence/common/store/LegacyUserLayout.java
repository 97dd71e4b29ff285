package io.presence.common.store;

import java.util.List;

/**
 * The layout before apps were tenants, which keyed a user by id alone ({@code <prefix>:{u:<user>}:...},
 * {@code <prefix>:status-expiry}, {@code <prefix>:blocked-users}); {@link io.presence.common.presence.LegacyUserKeys}
 * moves what it can of it, and sets {@code <prefix>:legacy-user-keys:done} once none is left.
 */
public final class LegacyUserLayout {

    private final String prefix;

    LegacyUserLayout(String prefix) {
        this.prefix = prefix;
    }

    /** A SCAN pattern every user key matches, of the previous layout ({@code {u:<user>}}) and of this one. */
    public String userKeyPattern() {
        return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + ":{u:*}:*";
    }

    /** The previous layout's key of a user's {@code kind} (state, conns, blockers, watchers). */
    public String key(String userId, String kind) {
        return prefix + ":{u:" + userId + "}:" + kind;
    }

    /** Set once no key of the previous layout is left (see {@link io.presence.common.presence.LegacyUserKeys}). */
    public String done() {
        return prefix + ":legacy-user-keys:done";
    }

    /** The previous layout's keys that were not per user: the status expiry and the blocked-users index. */
    public List<String> indexes() {
        return List.of(prefix + ":status-expiry", prefix + ":blocked-users");
    }

    /**
     * The user id and kind ({@code state}, {@code conns}, ...) of a previous layout's user key, or null when the key is
     * no user key or one of this layout. A tag with a colon ({@code {u:<app>:<user>}}) counts as this layout's: an old
     * key of a user id with a colon cannot be told from it, and is left alone.
     */
    public String[] parseUserKey(String key) {
        String head = prefix + ":{u:";
        int close = key.indexOf("}:", head.length());
        if (!key.startsWith(head) || close <= head.length()) {
            return null;
        }
        String inner = key.substring(head.length(), close);
        return inner.indexOf(':') >= 0 ? null : new String[] {inner, key.substring(close + 2)};
    }
}
