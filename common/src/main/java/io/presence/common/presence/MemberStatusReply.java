package io.presence.common.presence;

import io.vertx.mutiny.redis.client.Response;

/**
 * The reply of {@code redis/member_status.lua}, read in this one place: {@code {1, seq, change, at, follows}} when the
 * status was stored and announced (change: 1 the world sees the member now and did not before, -1 the other way round,
 * 0 neither), {@code {0, 0, 0}} when the channel has this version or a newer one, {@code {2, 0, 0}} when it was left
 * pending (the user is not in the channel yet), {@code {3, 0, 0, status JSON}} when the stored status it would replace
 * has no decision ({@link StatusVisibility}; nothing changed).
 *
 * @param change     what the script did
 * @param seq        the announcement's sequence number; 0 unless {@link #announced}
 * @param at         for {@code APPEARED} and {@code VANISHED}, when it happened (server clock, microseconds), else 0
 * @param follows    for {@code APPEARED}, the departure it ends (0 when none is remembered)
 * @param statusJson undecided: the stored status to decide; else empty
 */
record MemberStatusReply(Change change, long seq, long at, long follows, String statusJson) {

    /** What putting a status into a channel did. */
    enum Change {
        /** The channel has this version or a newer one: nothing. */
        STALE,
        /** The user is not in the channel yet: left for their join. */
        PENDING,
        /** Stored and announced; the world's view of the member stayed the same. */
        UPDATED,
        /** Stored and announced; the world sees the member now and did not before (member_added). */
        APPEARED,
        /** Stored and announced; the world saw the member and does not now (member_removed). */
        VANISHED,
        /** The stored status has no decision: nothing changed. */
        UNDECIDED
    }

    static MemberStatusReply decode(Response reply) {
        long code = reply.get(0).toLong();
        if (code == 0) {
            return new MemberStatusReply(Change.STALE, 0, 0, 0, "");
        }
        if (code == 2) {
            return new MemberStatusReply(Change.PENDING, 0, 0, 0, "");
        }
        if (code == 3) {
            return new MemberStatusReply(Change.UNDECIDED, 0, 0, 0, reply.get(3).toString());
        }
        long seen = reply.get(2).toLong();
        Change change = seen > 0 ? Change.APPEARED : seen < 0 ? Change.VANISHED : Change.UPDATED;
        return new MemberStatusReply(change, reply.get(1).toLong(), seen != 0 ? reply.get(3).toLong() : 0,
                seen != 0 ? reply.get(4).toLong() : 0, "");
    }

    /** True when the status was stored and announced as {@link #seq}. */
    boolean announced() {
        return change == Change.UPDATED || change == Change.APPEARED || change == Change.VANISHED;
    }

    /** The decision this reply asks for, or null. */
    String undecided() {
        return change == Change.UNDECIDED ? StatusVisibility.decision(statusJson) : null;
    }
}
