package io.presence.terminal.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** A member of a presence channel with the status the gateway keeps in its {@code user_info}. */
public record Member(String id, String handle, String displayName, String status, String text) {

    /** Reads a {@code user_info} object (JSON text); missing fields stay null, the status defaults to online. */
    public static Member of(String id, String userInfo, ObjectMapper json) {
        JsonNode info;
        try {
            info = userInfo == null ? json.nullNode() : json.readTree(userInfo);
        } catch (IOException e) {
            info = json.nullNode();
        }
        return of(id, info);
    }

    public static Member of(String id, JsonNode info) {
        return new Member(id, text(info, "handle"), text(info, "displayName"), info.path("status").asText("online"),
                text(info, "text"));
    }

    private static String text(JsonNode info, String field) {
        JsonNode value = info.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    /** The handle, else the id: what the chat calls this member. */
    public String name() {
        return handle != null ? handle : "user " + id;
    }
}
