package io.presence.common.presence;

/**
 * One message on a bus channel: a Pusher frame plus who must (not) receive it. Encoded as a header line
 * {@code except TAB subject TAB audience}, a newline, then the frame; a header without tabs is just {@code except}.
 *
 * @param exceptSocketId the socket that must not receive it (the sender), or empty
 * @param subjectUserId  the user the frame is about (member_added/updated), or empty; connections that must not see
 *                       that user (they were blocked by them) never receive it
 * @param audience       which connections of the channel receive it, relative to the subject
 * @param frame          the Pusher frame, as sent to clients
 */
public record BusMessage(String exceptSocketId, String subjectUserId, Audience audience, String frame) {

    /** Who, among a channel's subscribers, receives a message. */
    public enum Audience {
        /** Every subscriber. */
        ALL,
        /** Every subscriber except the subject's own connections (e.g. member_removed when the subject goes invisible). */
        OTHERS,
        /** Only the subject's own connections (e.g. their own status change while invisible). */
        SUBJECT
    }

    public BusMessage {
        exceptSocketId = exceptSocketId == null ? "" : exceptSocketId;
        subjectUserId = subjectUserId == null ? "" : subjectUserId;
        audience = audience == null ? Audience.ALL : audience;
    }

    /** A frame for every subscriber but one socket (may be null). */
    public static BusMessage toAll(String frame, String exceptSocketId) {
        return new BusMessage(exceptSocketId, "", Audience.ALL, frame);
    }

    /** A frame about a user, for the given audience. */
    public static BusMessage about(String subjectUserId, Audience audience, String frame, String exceptSocketId) {
        return new BusMessage(exceptSocketId, subjectUserId, audience, frame);
    }

    public String encode() {
        if (subjectUserId.isEmpty() && audience == Audience.ALL) {
            return exceptSocketId + "\n" + frame;
        }
        return exceptSocketId + "\t" + subjectUserId + "\t" + audience.name() + "\n" + frame;
    }

    /** The message in a bus payload, or null when the payload is malformed. */
    public static BusMessage decode(String payload) {
        int newline = payload.indexOf('\n');
        if (newline < 0) {
            return null;
        }
        String header = payload.substring(0, newline);
        String frame = payload.substring(newline + 1);
        String[] fields = header.split("\t", -1);
        if (fields.length == 1) {
            return toAll(frame, header);
        }
        if (fields.length != 3) {
            return null;
        }
        try {
            return new BusMessage(fields[0], fields[1], Audience.valueOf(fields[2]), frame);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether a subscriber (its socket id and the user it is in the channel as, or null) receives this message. */
    public boolean isFor(String socketId, String userId) {
        if (socketId.equals(exceptSocketId)) {
            return false;
        }
        boolean isSubject = !subjectUserId.isEmpty() && subjectUserId.equals(userId);
        return switch (audience) {
            case ALL -> true;
            case OTHERS -> !isSubject;
            case SUBJECT -> isSubject;
        };
    }
}
