package io.presence.message.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.presence.common.text.Text;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;

/** The wire types of messages, history, read cursors and conversations; also the data of realtime events. */
public final class MessageViews {

    /** Longest text: the column size. */
    public static final int MAX_TEXT = 4000;

    private MessageViews() {
    }

    /** Body of {@code POST .../messages}: the text and the client's idempotency key for this send. */
    public record NewMessage(@NotBlank @Size(max = MAX_TEXT) @Text(multiline = true) String text,
                             @NotNull @Pattern(regexp = "[!-~]{1,100}", message = "must be 1-100 visible ASCII characters")
                             String clientMessageId) {
    }

    /** Body of {@code PATCH .../messages/{id}}. */
    public record MessageEdit(@NotBlank @Size(max = MAX_TEXT) @Text(multiline = true) String text) {
    }

    /** Who wrote a message. */
    public record Author(String id, String handle) {
    }

    /**
     * A stored message (the data of {@code message}, {@code message_updated} and {@code message_deleted} events too).
     * Exactly one of roomId / conversationId is set; a deleted message has no text and a {@code deletedAt}.
     */
    public record MessageView(String id, String roomId, String conversationId, Author author, String kind, String text,
                              String clientMessageId, OffsetDateTime createdAt, OffsetDateTime editedAt,
                              OffsetDateTime deletedAt) {
    }

    /** A page of history, oldest first; {@code nextBefore} is the {@code before} of the older page, null at the start. */
    public record MessagePage(List<MessageView> messages, String nextBefore) {
    }

    /** Body of {@code PUT .../cursor}. */
    public record CursorMove(@NotNull @Pattern(regexp = "[1-9][0-9]{0,17}", message = "must be a message id") String messageId) {
    }

    /** My read cursor after a move (it never moves back) and what is left unread. */
    public record CursorView(String messageId, long unread) {
    }

    /** Data of the {@code read_cursor} event. */
    public record ReadCursor(@JsonProperty("user_id") String userId, String messageId) {
    }

    /** The other participant of a direct conversation. */
    public record Participant(String id) {
    }

    /** A direct conversation as one participant sees it. */
    public record ConversationView(String id, Participant with, String channel, long unread, String lastReadMessageId,
                                   String otherLastReadMessageId, String lastMessageId, OffsetDateTime createdAt) {
    }

    public record ConversationList(List<ConversationView> conversations) {
    }
}
