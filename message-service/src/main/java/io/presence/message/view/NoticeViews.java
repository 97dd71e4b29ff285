package io.presence.message.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.presence.message.view.RoomViews.RoomView;

/** The payloads of the per-user and rooms-directory events (docs/api.md lists them with their names). */
public final class NoticeViews {

    private NoticeViews() {
    }

    /** I joined ({@code member: true}) or left a room, or it was deleted. */
    public record MembershipChange(RoomView room, boolean member) {
    }

    /** A room that is gone, or an invitation to it that is. */
    public record RoomRef(String roomId) {
    }

    /** My unread count of a room ({@code roomId}) or of the conversation with a user ({@code userId}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Unread(String roomId, String userId, long unread) {
    }
}
