package io.presence.common.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A user's chosen status as stored in Redis: status, text (empty for none) and expiry (epoch ms, 0 for never).
 * What others see of it ({@link #effective(long)}) falls back to online with no text once it has expired.
 */
public record UserStatus(Status status, String text, long expiresAt) {

    /** Longest status text, in characters. */
    public static final int MAX_TEXT_LENGTH = 100;

    /** What a user who never chose anything has. */
    public static final UserStatus DEFAULT = new UserStatus(Status.ONLINE, "", 0);

    public UserStatus {
        text = text == null ? "" : text;
    }

    /** Reads the fields of a user's state hash; unknown or missing values fall back to the default. */
    public static UserStatus fromState(Map<String, String> state) {
        Status status = Status.parse(state.get("status")).orElse(Status.ONLINE);
        return new UserStatus(status, state.getOrDefault("text", ""), parseLong(state.get("expiresAt")));
    }

    /**
     * The status a signed user_info suggests (its {@code status} if it is one of the keywords, and {@code text}),
     * used as a user's first stored status.
     */
    public static UserStatus suggestedBy(JsonNode userInfo) {
        Status status = Status.parse(userInfo == null ? null : userInfo.path("status").asText(null)).orElse(Status.ONLINE);
        String text = userInfo != null && userInfo.path("text").isTextual() ? userInfo.get("text").asText().strip() : "";
        if (text.codePointCount(0, text.length()) > MAX_TEXT_LENGTH) {
            text = text.substring(0, text.offsetByCodePoints(0, MAX_TEXT_LENGTH));
        }
        return new UserStatus(status, text, 0);
    }

    /** The status in effect at {@code nowMillis}. */
    public UserStatus effective(long nowMillis) {
        return expiresAt != 0 && expiresAt <= nowMillis ? DEFAULT : this;
    }

    /**
     * The user_info others see: the one signed at subscription, with {@code status} and {@code text} replaced by
     * this status (text removed when empty), so late joiners and member_updated carry the stored status.
     */
    public ObjectNode overlay(JsonNode userInfo) {
        ObjectNode info = userInfo != null && userInfo.isObject()
                ? ((ObjectNode) userInfo).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        info.put("status", status.wire());
        if (text.isEmpty()) {
            info.remove("text");
        } else {
            info.put("text", text);
        }
        return info;
    }

    public static long parseLong(String value) {
        try {
            return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
