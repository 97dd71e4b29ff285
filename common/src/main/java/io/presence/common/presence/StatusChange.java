package io.presence.common.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import io.presence.common.text.TextRule;

/**
 * A requested status change, from a {@code client-status-update} event or the REST API; null fields keep what the
 * user has. JSON: {@code {status?, text?, expiresAt? (epoch ms), expiresIn? (seconds)}}.
 */
public record StatusChange(Status status, String text, Long expiresAt) {

    /** A change that cannot be applied; the message says why, for the client. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads a change. A {@code status} that is not one of the four keywords is taken as the text when no text is
     * given (the classic Pusher status demo sends free text as "status").
     */
    public static StatusChange parse(JsonNode data, long nowMillis) {
        if (data == null || !data.isObject()) {
            throw new Invalid("a status change is a JSON object {status?, text?, expiresAt?, expiresIn?}");
        }
        JsonNode statusNode = data.path("status");
        JsonNode textNode = data.path("text");
        if (!statusNode.isMissingNode() && !statusNode.isNull() && !statusNode.isTextual()) {
            throw new Invalid("status must be a string");
        }
        if (!textNode.isMissingNode() && !textNode.isNull() && !textNode.isTextual()) {
            throw new Invalid("text must be a string");
        }
        String statusValue = statusNode.isTextual() ? statusNode.asText() : null;
        String text = textNode.isTextual() ? textNode.asText().strip() : null;
        Status status = statusValue == null ? null : Status.parse(statusValue).orElse(null);
        if (statusValue != null && status == null) {
            if (text != null) {
                throw new Invalid("status must be one of online, away, busy, invisible");
            }
            text = statusValue.strip();
        }
        String violation = TextRule.labelViolation(text);
        if (violation != null) {
            throw new Invalid("status text " + violation);
        }
        if (text != null && text.codePointCount(0, text.length()) > UserStatus.MAX_TEXT_LENGTH) {
            throw new Invalid("status text is longer than " + UserStatus.MAX_TEXT_LENGTH + " characters");
        }
        Long expiresAt = null;
        if (data.has("expiresAt") && !data.get("expiresAt").isNull()) {
            if (!data.get("expiresAt").canConvertToLong()) {
                throw new Invalid("expiresAt must be epoch milliseconds");
            }
            expiresAt = data.get("expiresAt").asLong();
        } else if (data.has("expiresIn") && !data.get("expiresIn").isNull()) {
            if (!data.get("expiresIn").canConvertToLong() || data.get("expiresIn").asLong() <= 0) {
                throw new Invalid("expiresIn must be a positive number of seconds");
            }
            expiresAt = nowMillis + data.get("expiresIn").asLong() * 1000;
        }
        if (expiresAt != null && expiresAt != 0 && expiresAt <= nowMillis) {
            throw new Invalid("the expiry must be in the future (or 0 for never)");
        }
        if (status == null && text == null && expiresAt == null) {
            throw new Invalid("nothing to change: give status, text or an expiry");
        }
        return new StatusChange(status, text, expiresAt);
    }

    /**
     * The status after this change. A new status without an expiry never expires; a text-only change keeps the
     * current status and its expiry.
     */
    public UserStatus applyTo(UserStatus current) {
        long expiry = expiresAt != null ? expiresAt : status != null ? 0 : current.expiresAt();
        return new UserStatus(status != null ? status : current.status(), text != null ? text : current.text(), expiry);
    }
}
