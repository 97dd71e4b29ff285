package io.presence.gateway.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.presence.UserStatus;

/** A presence channel member as clients see it: a user id (always a string) and their user_info. */
public record Member(String userId, JsonNode userInfo) {

    /** True when the member's status is invisible: others must not see them. */
    public boolean invisible() {
        return UserStatus.invisible(userInfo);
    }
}
