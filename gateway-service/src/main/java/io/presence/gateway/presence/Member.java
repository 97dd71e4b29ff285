package io.presence.gateway.presence;

import com.fasterxml.jackson.databind.JsonNode;

/** A presence channel member as clients see it: a user id (always a string) and their user_info. */
public record Member(String userId, JsonNode userInfo) {
}
