package io.presence.presence.service;

import com.fasterxml.jackson.databind.JsonNode;

/** A visible member of a presence channel: user id and user_info (with the stored status in it). */
public record ChannelMember(String id, JsonNode userInfo) {
}
