package io.presence.common.pusher;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Channel and socket id rules of the Pusher protocol, and the channel names this suite gives meaning to. */
public final class Channels {

    /** Longest channel name Pusher allows; the gateway's limit is configuration with this default. */
    public static final int DEFAULT_MAX_NAME_LENGTH = 164;

    private static final Pattern NAME = Pattern.compile("[-a-zA-Z0-9_=@,.;]+");
    private static final Pattern SOCKET_ID = Pattern.compile("\\d+\\.\\d+");
    private static final Pattern USER_CHANNEL = Pattern.compile("private-user-(\\d+)");
    private static final Pattern DIRECT_CHANNEL = Pattern.compile("private-dm-(\\d+)-(\\d+)");
    private static final Pattern ROOM_CHANNEL = Pattern.compile("(?:presence|private)-room-(\\d+)");

    private Channels() {
    }

    public static boolean isValidName(String name, int maxLength) {
        return name != null && name.length() <= maxLength && NAME.matcher(name).matches();
    }

    public static boolean isValidSocketId(String socketId) {
        return socketId != null && socketId.length() <= 64 && SOCKET_ID.matcher(socketId).matches();
    }

    public static boolean isPresence(String name) {
        return name.startsWith("presence-");
    }

    public static boolean isEncrypted(String name) {
        return name.startsWith("private-encrypted-");
    }

    /** Cache channels keep their last event for new subscribers (Pusher: cache-, private-cache-, presence-cache-, private-encrypted-cache-). */
    /** The prefix of a signed-in user's own channel, where backends and watchlists reach them. */
    public static final String SERVER_TO_USER = "#server-to-user-";

    /** A signed-in user's own channel. */
    public static String serverToUser(String userId) {
        return SERVER_TO_USER + userId;
    }

    public static boolean isCache(String name) {
        return name.startsWith("cache-") || name.startsWith("private-cache-") || name.startsWith("presence-cache-")
                || name.startsWith("private-encrypted-cache-");
    }

    /** How long a cache channel keeps its last event (as Pusher does). */
    public static final java.time.Duration CACHE_TTL = java.time.Duration.ofMinutes(30);

    public static boolean isPrivate(String name) {
        return name.startsWith("private-");
    }

    /**
     * The public channel of the public rooms directory: anyone with the room list open hears rooms being created,
     * renamed and deleted (the list itself is public, {@code GET /api/rooms}).
     */
    public static final String ROOMS_DIRECTORY = "rooms-directory";

    /** A user's own channel, where backends tell them what changed for them (requests, invitations, unread counts). */
    public static String userChannel(long user) {
        return "private-user-" + user;
    }

    /** The user of a {@code private-user-{id}} channel. */
    public static Optional<Long> userChannelOwner(String name) {
        Matcher m = USER_CHANNEL.matcher(name);
        return m.matches() ? parseId(m.group(1)) : Optional.empty();
    }

    /** The two users of a {@code private-dm-{a}-{b}} channel; only the canonical form with {@code a < b} counts. */
    public static Optional<long[]> directChannelUsers(String name) {
        Matcher m = DIRECT_CHANNEL.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<Long> a = parseId(m.group(1));
        Optional<Long> b = parseId(m.group(2));
        if (a.isEmpty() || b.isEmpty() || a.get() >= b.get()) {
            return Optional.empty();
        }
        return Optional.of(new long[] {a.get(), b.get()});
    }

    /** The canonical direct channel of two users. */
    public static String directChannel(long a, long b) {
        return "private-dm-" + Math.min(a, b) + "-" + Math.max(a, b);
    }

    /** The realtime channel of a room: a presence channel, so members see who is in the room. */
    public static String roomChannel(long room) {
        return "presence-room-" + room;
    }

    /** The room of a {@code presence-room-{id}} or {@code private-room-{id}} channel. */
    public static Optional<Long> roomChannelRoom(String name) {
        Matcher m = ROOM_CHANNEL.matcher(name);
        return m.matches() ? parseId(m.group(1)) : Optional.empty();
    }

    private static Optional<Long> parseId(String digits) {
        try {
            return Optional.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
