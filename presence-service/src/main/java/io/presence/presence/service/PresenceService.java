package io.presence.presence.service;

import io.presence.common.app.AppRegistry;
import io.presence.common.budget.Budgets;
import io.presence.common.presence.PresenceStore;
import io.presence.common.presence.PresenceVisibility;
import io.presence.common.presence.StatusChange;
import io.presence.common.presence.StatusVisibility;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.store.UserStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Answers "is this user online, with which status, and when were they last seen?" and changes statuses: an expired
 * status is online again, an invisible user looks offline; whom a logged-in user may see at all is
 * {@link PresenceVisibility}'s rule (a backend sees all its app's users). Users are those of the caller's app: a
 * logged-in user's is the built-in app, a backend's the app it signed for; another app's user of the same id is out
 * of reach.
 */
@ApplicationScoped
public class PresenceService {

    /** The budget of presence reads per logged-in caller, in user ids ({@code budgets.presence-queries.*}). */
    public static final String QUERY_BUDGET = "presence-queries";

    private final UserPresenceStore users;
    private final PresenceStore presence;
    private final AppRegistry apps;
    private final PresenceVisibility visibility;
    private final Budgets budgets;

    public PresenceService(UserPresenceStore users, PresenceStore presence, AppRegistry apps, PresenceVisibility visibility,
                           Budgets budgets) {
        this.users = users;
        this.presence = presence;
        this.apps = apps;
        this.visibility = visibility;
        this.budgets = budgets;
    }

    /** One user as the caller may see them. */
    public Uni<UserPresence> user(Caller caller, String userId) {
        return users(caller, List.of(userId)).map(list -> list.get(0));
    }

    /**
     * Several users at once (one round trip each, all in flight together), in the order asked. A logged-in caller
     * pays one of the {@value #QUERY_BUDGET} budget per id, and sees only whom {@link PresenceVisibility} allows:
     * anyone else, a blocker and a user who does not exist all answer {@link UserPresence#unknown}.
     */
    public Uni<List<UserPresence>> users(Caller caller, List<String> userIds) {
        Uni<Set<String>> allowed = caller.isBackend() ? Uni.createFrom().item(Set.copyOf(userIds))
                : budgets.check(QUERY_BUDGET, "user:" + caller.userId(), userIds.size())
                        .chain(() -> visibility.visibleTo(apps.main(), caller.userId(), userIds));
        return allowed.chain(visible -> {
            List<Uni<UserPresence>> views = new ArrayList<>();
            for (String id : userIds) {
                views.add(visible.contains(id) ? users.snapshot(appOf(caller), id).map(PresenceService::view)
                        : Uni.createFrom().item(UserPresence.unknown(id)));
            }
            return views.isEmpty() ? Uni.createFrom().item(List.<UserPresence>of()) : Uni.join().all(views).andFailFast();
        });
    }

    /** Changes a user's status (the user themselves, or a backend) and announces it where the user is present. */
    public Uni<UserStatus> setStatus(Caller caller, String userId, StatusChange change) {
        if (!caller.isBackend() && !caller.userId().equals(userId)) {
            return Uni.createFrom().failure(new ProblemException(ProblemType.FORBIDDEN, "you can only change your own status"));
        }
        String appId = appOf(caller);
        return users.status(appId, userId)
                .map(change::applyTo)
                .call(next -> presence.setStatus(appId, userId, next, null));
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

    /** The app whose users the caller sees: the one a backend signed for, the built-in app for a logged-in user. */
    private String appOf(Caller caller) {
        return caller.isBackend() ? caller.app().id() : apps.mainId();
    }

    /** Applies the visibility rules to what is stored. */
    static UserPresence view(UserPresenceStore.Snapshot s) {
        Instant lastSeen = s.lastSeen() > 0 ? Instant.ofEpochMilli(s.lastSeen()) : null;
        if (s.connections() == 0 || StatusVisibility.hides(s.status())) {
            return new UserPresence(s.userId(), false, "offline", null, lastSeen);
        }
        String text = s.status().text().isEmpty() ? null : s.status().text();
        return new UserPresence(s.userId(), true, s.status().status().wire(), text, lastSeen);
    }
}
