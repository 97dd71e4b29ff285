package io.presence.common.presence;

import io.presence.common.app.App;
import io.presence.common.redis.RedisCalls;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one rule of who may read a user's presence (online state, status text, last seen), for the REST API
 * (presence-service) and watchlists (gateway). A user never sees someone who blocked them; beyond that the app's
 * {@link App#presenceVisibility()} decides: {@code everyone} shows every user, {@code contacts} only the viewer
 * themselves, their accepted contacts, the members of a room they are in, and those present in a presence channel
 * they are present in. Everything is read from Redis at the time of the question ({@link PresenceSchema}: the
 * contacts and rooms sets user-service and message-service keep, the users' connection sets), so visibility ends as
 * soon as the relation does (a contact removed or blocked, a room left, a channel left).
 */
@ApplicationScoped
public class PresenceVisibility {

    private final Redis redis;
    private final PresenceSchema schema;

    public PresenceVisibility(Redis redis, PresenceStoreConfig config) {
        this.redis = redis;
        this.schema = config.schema();
    }

    /** Which of {@code targets} (users of {@code app}) the user {@code viewer} of the same app may see. */
    public Uni<Set<String>> visibleTo(App app, String viewer, Collection<String> targets) {
        Uni<Set<String>> blockers = members(schema.blockers(app.id(), viewer));
        if (!App.VISIBILITY_CONTACTS.equals(app.presenceVisibility())) {
            return blockers.map(hidden -> {
                Set<String> visible = new LinkedHashSet<>(targets);
                visible.removeAll(hidden);
                return visible;
            });
        }
        return Uni.combine().all().unis(blockers, members(schema.contacts(app.id(), viewer)),
                        members(schema.rooms(app.id(), viewer)), channelsOf(app.id(), viewer)).asTuple()
                .chain(mine -> {
                    Set<String> hidden = mine.getItem1();
                    Set<String> contacts = mine.getItem2();
                    Set<String> rooms = mine.getItem3();
                    Set<String> channels = mine.getItem4();
                    List<Uni<String>> checks = new ArrayList<>();
                    for (String target : new LinkedHashSet<>(targets)) {
                        if (hidden.contains(target)) {
                            continue;
                        }
                        if (target.equals(viewer) || contacts.contains(target)) {
                            checks.add(Uni.createFrom().item(target));
                        } else if (!rooms.isEmpty() || !channels.isEmpty()) {
                            checks.add(shares(app.id(), target, rooms, channels).map(shared -> shared ? target : ""));
                        }
                    }
                    return checks.isEmpty() ? Uni.createFrom().item(Set.<String>of())
                            : Uni.join().all(checks).andFailFast().map(PresenceVisibility::nonNull);
                });
    }

    /** Whether {@code target} is in one of these rooms or present in one of these presence channels. */
    private Uni<Boolean> shares(String appId, String target, Set<String> rooms, Set<String> channels) {
        Uni<Boolean> room = rooms.isEmpty() ? Uni.createFrom().item(false)
                : members(schema.rooms(appId, target)).map(theirs -> intersects(rooms, theirs));
        Uni<Boolean> channel = channels.isEmpty() ? Uni.createFrom().item(false)
                : channelsOf(appId, target).map(theirs -> intersects(channels, theirs));
        return Uni.combine().all().unis(room, channel).asTuple().map(t -> t.getItem1() || t.getItem2());
    }

    /** The presence channels the user is present in now (their connection set; a signed-in connection is no channel). */
    private Uni<Set<String>> channelsOf(String appId, String userId) {
        return members(schema.userConnections(appId, userId)).map(entries -> {
            Set<String> channels = new HashSet<>();
            for (String entry : entries) {
                String[] parts = PresenceSchema.parseNodeEntry(entry);
                if (parts != null && !parts[1].startsWith("#")) {
                    channels.add(parts[1]);
                }
            }
            return channels;
        });
    }

    private Uni<Set<String>> members(String key) {
        return RedisCalls.send(redis, Command.SMEMBERS, key).map(r -> new HashSet<>(RedisCalls.strings(r)));
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        for (String x : b) {
            if (a.contains(x)) {
                return true;
            }
        }
        return false;
    }

    /** The users of the checks that answered one (those that did not answered ""; a user id is never empty). */
    private static Set<String> nonNull(List<String> values) {
        Set<String> set = new LinkedHashSet<>();
        for (String value : values) {
            if (!value.isEmpty()) {
                set.add(value);
            }
        }
        return set;
    }
}
