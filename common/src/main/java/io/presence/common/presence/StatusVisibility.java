package io.presence.common.presence;

import io.presence.common.event.EventCodec;
import io.presence.common.store.MemberState;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.Map;
import java.util.function.Function;

/**
 * The one rule of whether a status hides its user from the world (everyone but the user), and until when: an
 * invisible status hides them until it expires. Every Java check asks it, and the Lua scripts never read a status:
 * each status is stored with this decision as data ({@link #decision}) and the scripts only compare it.
 */
public final class StatusVisibility {

    /** {@link #hiddenUntil} of a status that hides its user with no end. */
    public static final long FOREVER = -1;

    private StatusVisibility() {
    }

    /** 0 when the world sees the user; {@link #FOREVER} when the status hides them with no end; else until when (epoch ms). */
    public static long hiddenUntil(UserStatus status) {
        if (status.status() != Status.INVISIBLE) {
            return 0;
        }
        return status.expiresAt() == 0 ? FOREVER : status.expiresAt();
    }

    /** Whether the status hides its user from the world (as long as it is the status in effect). */
    public static boolean hides(UserStatus status) {
        return hiddenUntil(status) != 0;
    }

    /**
     * The decision as the scripts store and compare it ({@code redis/lib.lua}, visibility):
     * {@code until:version}, for the status of that version.
     */
    public static String decision(UserStatus status, long version) {
        return hiddenUntil(status) + ":" + version;
    }

    /** The decision for a channel's status JSON (as stored in a channel and carried in member events). */
    static String decision(String statusJson) {
        MemberState member = EventCodec.memberState("{}", statusJson);
        return decision(member.status(), member.version());
    }

    /** The decision for a user's stored state (the fields of their state hash). */
    static String decision(Map<String, String> state) {
        return decision(UserStatus.fromState(state), UserStatus.parseLong(state.get("v")));
    }

    /** How many times a script is run at most for one call: a status without a decision, then one stored meanwhile. */
    static final int MAX_ROUNDS = 3;

    /**
     * Runs a script until it decides. A script that meets a status stored without a decision (before decisions were
     * stored, or by a service of the previous version) changes nothing and answers "undecided" with that status; it is
     * run again with this rule's decision for it as {@code hint}. Another round follows only if such a service stored
     * yet another status in between; after {@link #MAX_ROUNDS} the call fails (a status whose version the script and
     * Java read differently could never be decided).
     *
     * @param script    runs the script with a hint ('' for none)
     * @param decode    reads its reply (the reply's record, in its one place)
     * @param undecided the decision a reply asks for, or null when it decided
     */
    static <R> Uni<R> untilDecided(Function<String, Uni<Response>> script, Function<Response, R> decode, Function<R, String> undecided) {
        return untilDecided(script, decode, undecided, "", 1);
    }

    private static <R> Uni<R> untilDecided(Function<String, Uni<Response>> script, Function<Response, R> decode,
                                           Function<R, String> undecided, String hint, int round) {
        return script.apply(hint).map(decode).chain(reply -> {
            String next = undecided.apply(reply);
            if (next == null) {
                return Uni.createFrom().item(reply);
            }
            if (round == MAX_ROUNDS) {
                return Uni.createFrom().failure(new IllegalStateException("a stored status is still undecided after "
                        + MAX_ROUNDS + " rounds, last asked for " + next));
            }
            return untilDecided(script, decode, undecided, next, round + 1);
        });
    }
}
