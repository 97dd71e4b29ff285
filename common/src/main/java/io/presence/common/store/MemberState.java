package io.presence.common.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A presence member as stored in a channel: the user_info signed at the user's first connection there, and the
 * user's status with its version (a channel only ever takes a newer one). Immutable; what clients see of it
 * ({@link #userInfo()}) is computed once.
 */
public final class MemberState {

    private final JsonNode info;
    private final UserStatus status;
    private final long version;
    private final ObjectNode userInfo;
    /** {@link #userInfo()} as JSON, computed on first use (a race computes the same text twice, harmlessly). */
    private String userInfoJson;

    public MemberState(JsonNode info, UserStatus status, long version) {
        this.info = info == null ? JsonNodeFactory.instance.objectNode() : info;
        this.status = status == null ? UserStatus.DEFAULT : status;
        this.version = version;
        this.userInfo = this.status.overlay(this.info);
    }

    /** The user_info as signed. */
    public JsonNode info() {
        return info;
    }

    public UserStatus status() {
        return status;
    }

    public long version() {
        return version;
    }

    /** What clients see: the signed user_info with the status put in ({@code status}, {@code text}). */
    public ObjectNode userInfo() {
        return userInfo;
    }

    /** {@link #userInfo()} encoded as JSON once, for the member lists every joining subscriber gets. */
    public String userInfoJson() {
        String json = userInfoJson;
        if (json == null) {
            json = userInfo.toString();
            userInfoJson = json;
        }
        return json;
    }

    /** True when clients would see no difference between the two. */
    public boolean looksLike(MemberState other) {
        return other != null && userInfo.equals(other.userInfo);
    }

    /** The same member with another status. */
    public MemberState withStatus(UserStatus next, long nextVersion) {
        return new MemberState(info, next, nextVersion);
    }

    @Override
    public String toString() {
        return userInfo + "@v" + version;
    }
}
