package io.presence.presence.service;

import io.presence.common.presence.ChannelPresence;
import io.presence.common.presence.StatusChange;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.presence.UserStatus;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Answers "is this user online, with which status, and when were they last seen?" and changes statuses, with the
 * visibility rules in one place: an expired status is online again, an invisible user looks offline, and a user
 * never sees the presence of someone who blocked them.
 */
@ApplicationScoped
public class PresenceService {

    private final UserPresenceStore users;
    private final ChannelPresence presence;

    public PresenceService(UserPresenceStore users, ChannelPresence presence) {
        this.users = users;
        this.presence = presence;
    }

    /** One user as the caller may see them. */
    public Uni<UserPresence> user(Caller caller, String userId) {
        return blockersOfCaller(caller).chain(hidden -> view(userId, hidden));
    }

    /** Several users at once (one round trip each, all in flight together), in the order asked. */
    public Uni<List<UserPresence>> users(Caller caller, List<String> userIds) {
        return blockersOfCaller(caller).chain(hidden -> {
            List<Uni<UserPresence>> views = new ArrayList<>();
            for (String id : userIds) {
                views.add(view(id, hidden));
            }
            return views.isEmpty() ? Uni.createFrom().item(List.<UserPresence>of()) : Uni.join().all(views).andFailFast();
        });
    }

    /** Changes a user's status (the user themselves, or a backend) and announces it where the user is present. */
    public Uni<UserStatus> setStatus(Caller caller, String userId, StatusChange change) {
        if (!caller.isBackend() && !caller.userId().equals(userId)) {
            return Uni.createFrom().failure(new ProblemException(ProblemType.FORBIDDEN, "you can only change your own status"));
        }
        return users.status(userId)
                .map(change::applyTo)
                .call(next -> presence.setStatus(userId, next, null));
    }

    /** The visible members of a presence channel with their user_info (status included); for backends. */
    public Uni<List<ChannelMember>> members(Caller caller, String channel) {
        if (!caller.isBackend()) {
            return Uni.createFrom().failure(new ProblemException(ProblemType.FORBIDDEN,
                    "channel member lists are for backends: sign the request with your app's key and secret"));
        }
        return presence.visibleMembers(caller.app().id(), channel).map(visible -> {
            List<ChannelMember> members = new ArrayList<>();
            visible.forEach((id, state) -> members.add(new ChannelMember(id, state.userInfo())));
            return members;
        });
    }

    private Uni<Set<String>> blockersOfCaller(Caller caller) {
        return caller.isBackend() ? Uni.createFrom().item(Set.of()) : users.blockers(caller.userId());
    }

    private Uni<UserPresence> view(String userId, Set<String> hidden) {
        if (hidden.contains(userId)) {
            return Uni.createFrom().item(new UserPresence(userId, false, "offline", null, null));
        }
        return users.snapshot(userId).map(PresenceService::view);
    }

    /** Applies the visibility rules to what is stored. */
    static UserPresence view(UserPresenceStore.Snapshot s) {
        Instant lastSeen = s.lastSeen() > 0 ? Instant.ofEpochMilli(s.lastSeen()) : null;
        if (s.connections() == 0 || s.status().invisible()) {
            return new UserPresence(s.userId(), false, "offline", null, lastSeen);
        }
        String text = s.status().text().isEmpty() ? null : s.status().text();
        return new UserPresence(s.userId(), true, s.status().status().wire(), text, lastSeen);
    }
}
