package io.presence.common.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.presence.common.app.App;
import io.presence.common.redis.TestRedis;
import io.presence.common.store.PresenceSchema;
import io.presence.common.testing.Inbox;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The visibility policy on real Redis: under {@code contacts} a viewer sees themselves, contacts, room-mates and those
 * present in a presence channel with them, and no one else; visibility ends with the relation; a blocker is never
 * seen; under {@code everyone} strangers are seen too.
 */
class PresenceVisibilityTest {

    private static final Duration WAIT = Inbox.CEILING;

    private static TestRedis redis;
    private static PresenceVisibility visibility;
    private static PresenceSchema schema;
    private static UserSetMirror contacts;
    private static UserSetMirror rooms;

    @BeforeAll
    static void connect() {
        redis = TestRedis.standalone();
        visibility = new PresenceVisibility(redis.redis(), redis.storeConfig());
        schema = redis.storeConfig().schema();
        contacts = new UserSetMirror(redis.redis(), schema.contactUsers("app"), user -> schema.contacts("app", user), WAIT);
        rooms = new UserSetMirror(redis.redis(), schema.roomUsers("app"), user -> schema.rooms("app", user), WAIT);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    private static App app(String visibility) {
        return new App("app", "key", "secret", null, null, true, null, null, null, visibility);
    }

    private static String user() {
        return "u" + UUID.randomUUID().toString().replace("-", "");
    }

    private static Set<String> visible(String policy, String viewer, String... targets) {
        return visibility.visibleTo(app(policy), viewer, List.of(targets)).await().atMost(WAIT);
    }

    private static void present(String user, String channel, String connection) {
        redis.call(Command.SADD, schema.userConnections("app", user), PresenceSchema.nodeEntry("app", channel, connection));
    }

    @Test
    void contactsSeeEachOtherAndStrangersDoNotUntilTheyShareSomething() {
        String me = user();
        String contact = user();
        String stranger = user();
        contacts.add(me, contact);
        contacts.add(contact, me);
        // a stranger's own relations and signed-in connection give me nothing
        rooms.add(stranger, "900");
        present(stranger, "#server-to-user-" + stranger, "s1");
        present(me, "#server-to-user-" + me, "m1");

        assertEquals(Set.of(me, contact), visible(App.VISIBILITY_CONTACTS, me, me, contact, stranger, "no-such-user"));
        assertEquals(Set.of(me, contact, stranger, "no-such-user"),
                visible(App.VISIBILITY_EVERYONE, me, me, contact, stranger, "no-such-user"));

        contacts.remove(me, contact);
        assertEquals(Set.of(), visible(App.VISIBILITY_CONTACTS, me, contact), "visibility ends with the contact");
    }

    @Test
    void roomMatesAndThoseInOnePresenceChannelSeeEachOtherWhileTheyDo() {
        String me = user();
        String mate = user();
        String neighbour = user();
        String elsewhere = user();
        rooms.add(me, "1", "2");
        rooms.add(mate, "2");
        rooms.add(elsewhere, "3");
        present(me, "presence-lobby", "m1");
        present(neighbour, "presence-lobby", "n1");
        present(elsewhere, "presence-other", "e1");

        assertEquals(Set.of(mate, neighbour), visible(App.VISIBILITY_CONTACTS, me, mate, neighbour, elsewhere));
        assertEquals(Set.of(me), visible(App.VISIBILITY_CONTACTS, mate, me), "both ways");

        rooms.remove(mate, "2");
        redis.call(Command.SREM, schema.userConnections("app", neighbour), PresenceSchema.nodeEntry("app", "presence-lobby", "n1"));
        assertEquals(Set.of(), visible(App.VISIBILITY_CONTACTS, me, mate, neighbour), "visibility ends with the room and the channel");
    }

    @Test
    void aBlockerIsNeverSeenWhateverThePolicy() {
        String me = user();
        String blocker = user();
        contacts.add(me, blocker);
        rooms.add(me, "7");
        rooms.add(blocker, "7");
        redis.call(Command.SADD, schema.blockers("app", me), blocker);

        assertEquals(Set.of(), visible(App.VISIBILITY_CONTACTS, me, blocker));
        assertEquals(Set.of(), visible(App.VISIBILITY_EVERYONE, me, blocker));
    }

    @Test
    void aResyncMakesTheSetsEqualToTheOwnersTable() {
        // an app of its own: a resync covers every set of its app
        UserSetMirror mirror = new UserSetMirror(redis.redis(), schema.contactUsers("resync"), user -> schema.contacts("resync", user), WAIT);
        App app = new App("resync", "key", "secret", null, null, true, null, null, null, App.VISIBILITY_CONTACTS);
        // the mirrors' users are accounts, with numeric ids
        String a = Long.toString(System.nanoTime());
        String b = Long.toString(System.nanoTime() + 1);
        String c = Long.toString(System.nanoTime() + 2);
        mirror.add(a, b, c);
        mirror.add(c, a);

        Map<String, Set<String>> table = Map.of(a, Set.of(b), b, Set.of(a));
        assertEquals(3, mirror.resync(table, user -> table.getOrDefault(Long.toString(user), Set.of())), "a shrinks, b appears, c empties");
        assertEquals(Set.of(b), visibility.visibleTo(app, a, List.of(b, c)).await().atMost(WAIT));
        assertEquals(Set.of(a), visibility.visibleTo(app, b, List.of(a)).await().atMost(WAIT));
        assertEquals(Set.of(), visibility.visibleTo(app, c, List.of(a)).await().atMost(WAIT));
        assertEquals(0, mirror.resync(table, user -> table.getOrDefault(Long.toString(user), Set.of())), "nothing left to repair");

        // a change committed while the table was read (here: a became c's contact again) is not undone
        mirror.add(a, c);
        mirror.add(c, a);
        Map<String, Set<String>> now = Map.of(a, Set.of(b, c), b, Set.of(a), c, Set.of(a));
        assertEquals(0, mirror.resync(table, user -> now.get(Long.toString(user))), "the sets that differ from the table agree with the owner now");
        assertEquals(Set.of(c), visibility.visibleTo(app, a, List.of(c)).await().atMost(WAIT));
    }
}
