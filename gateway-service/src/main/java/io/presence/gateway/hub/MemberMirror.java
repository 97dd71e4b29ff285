package io.presence.gateway.hub;

import io.presence.common.presence.PresenceDiff.Change;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.presence.PresenceDiff;
import io.presence.common.store.MemberState;
import io.presence.gateway.protocol.Frames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A presence channel's member list as its subscribers were told (invisible members too), the "suspects" a repair
 * found missing (gone only once a second read, after the grace period, confirms it), and the frames that tell each
 * subscriber what it may see of a change ({@link PresenceDiff}).
 *
 * <p>Not thread-safe: every method is called under the owning {@link LocalChannel}'s lock.
 */
final class MemberMirror {

    private final String channel;
    private final Frames frames;
    private final DeliveryMetrics metrics;
    /** Every member (invisible ones too) as the subscribers were told. */
    private final Map<String, MemberState> members = new LinkedHashMap<>();
    /** Members missing from a repair's list, not announced as gone before a second read confirms it. */
    private final Set<String> suspects = new HashSet<>();
    private boolean confirming;

    MemberMirror(String channel, Frames frames, DeliveryMetrics metrics) {
        this.channel = channel;
        this.frames = frames;
        this.metrics = metrics;
    }

    /** The member held for a user, or null. */
    MemberState get(String userId) {
        return members.get(userId);
    }

    /** Takes the members of the first read. */
    void load(Map<String, MemberState> stored) {
        members.putAll(stored);
    }

    /** True while suspects wait for their confirmation. */
    boolean unsettled() {
        return confirming || !suspects.isEmpty();
    }

    /** Sets a user's member ({@code after} null: gone), no longer a suspect; returns the one held before. */
    MemberState set(String user, MemberState after) {
        suspects.remove(user);
        return after == null ? members.remove(user) : members.put(user, after);
    }

    /** Members we hold that {@code stored} lacks become suspects (call after setting every stored member). */
    void suspectMissing(Map<String, MemberState> stored) {
        for (String user : members.keySet()) {
            if (!stored.containsKey(user)) {
                suspects.add(user);
            }
        }
    }

    /** The suspects to confirm after the grace period, or null when there are none or a confirmation is under way. */
    Set<String> startConfirming() {
        if (suspects.isEmpty() || confirming) {
            return null;
        }
        confirming = true;
        return Set.copyOf(suspects);
    }

    /**
     * The second read's members arrived: those of {@code due} still suspected and still missing have left (returned,
     * for the caller to apply); those back are suspects no more.
     */
    List<String> confirmed(Set<String> due, Map<String, MemberState> stored) {
        confirming = false;
        List<String> gone = new ArrayList<>();
        for (String user : due) {
            if (!suspects.contains(user)) {
                continue;
            }
            if (stored.containsKey(user)) {
                suspects.remove(user);
            } else {
                gone.add(user);
            }
        }
        return gone;
    }

    /** The second read failed: a later one will try again. */
    void confirmFailed() {
        confirming = false;
    }

    /** Tells every live subscriber what it sees of a member's change (each kind of frame encoded once). */
    void announce(String user, MemberState before, MemberState after, Map<Recipient, Viewer> live) {
        Frame[] built = new Frame[Change.values().length];
        for (Map.Entry<Recipient, Viewer> subscriber : live.entrySet()) {
            Viewer viewer = subscriber.getValue();
            if (after != null && user.equals(viewer.userId())) {
                subscriber.getKey().observedSelf(user, after); // before the frame, so its next client event knows
            }
            Change change = PresenceDiff.between(user, before, after, viewer);
            if (change != Change.NONE) {
                if (built[change.ordinal()] == null) {
                    built[change.ordinal()] = new Frame(frame(change, user, after));
                }
                subscriber.getKey().send(built[change.ordinal()]);
                metrics.delivered();
            }
        }
    }

    /** Tells one subscriber whose point of view changed about the members it now sees or no longer sees. */
    void viewerChanged(Recipient recipient, Viewer before, Viewer after) {
        members.forEach((user, state) -> {
            Change change = PresenceDiff.between(user, state, state, before, after);
            if (change != Change.NONE) {
                recipient.send(frame(change, user, state));
                metrics.delivered();
            }
        });
    }

    /** The members a viewer may see (their user_info as JSON), in join order, with the viewer itself always listed. */
    Map<String, String> visibleTo(Viewer viewer, MemberState self) {
        Map<String, String> visible = new LinkedHashMap<>();
        members.forEach((user, state) -> {
            if (viewer.sees(user, state)) {
                visible.put(user, state.userInfoJson());
            }
        });
        if (self != null && viewer.userId() != null && !visible.containsKey(viewer.userId())) {
            visible.put(viewer.userId(), self.userInfoJson());
        }
        return visible;
    }

    private String frame(Change change, String user, MemberState state) {
        return switch (change) {
            case NONE -> throw new IllegalArgumentException("no frame for no change");
            case ADDED -> frames.memberAdded(channel, user, state.userInfo());
            case REMOVED -> frames.memberRemoved(channel, user);
            case UPDATED -> frames.memberUpdated(channel, user, state.userInfo());
        };
    }
}
