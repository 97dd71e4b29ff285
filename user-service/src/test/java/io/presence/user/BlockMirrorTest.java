package io.presence.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.app.AppRegistry;
import io.presence.common.event.ControlCommand;
import io.presence.common.event.EventCodec;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.testsupport.FakeMessageService;
import io.presence.user.repository.BlockMirror;
import io.presence.user.repository.ContactMirror;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Blocks reach the presence store (where gateways and presence-service read them) and the gateways hear of them;
 * accepted contacts reach it too (presence visibility reads them) and leave it when the contact ends.
 */
@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class BlockMirrorTest {

    /** A ceiling only a real failure reaches, even on a busy machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RedisDataSource redis;

    @Inject
    PresenceStoreConfig config;

    @Inject
    BlockMirror mirror;

    @Inject
    AppRegistry apps;

    @Inject
    ContactMirror contactMirror;

    private Set<String> contactsOf(TestUsers.User user) {
        return redis.set(String.class).smembers(config.schema().contacts(apps.mainId(), user.id()));
    }

    private static void befriend(TestUsers.User from, TestUsers.User to) {
        String id = from.as().body("{\"to\":\"" + to.handle() + "\"}").post("/api/contacts/requests")
                .then().statusCode(201).extract().path("id");
        to.as().post("/api/contacts/requests/" + id + "/accept").then().statusCode(200);
    }

    @Test
    void contactsAreMirroredFromTheirAcceptanceUntilTheyEnd() {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        TestUsers.User carl = TestUsers.newUser("carl");
        befriend(ana, bob);
        assertEquals(Set.of(bob.id()), contactsOf(ana));
        assertEquals(Set.of(ana.id()), contactsOf(bob));
        carl.as().body("{\"to\":\"" + ana.handle() + "\"}").post("/api/contacts/requests").then().statusCode(201);
        assertEquals(Set.of(), contactsOf(carl), "a pending request is no contact");

        bob.as().delete("/api/contacts/" + ana.handle()).then().statusCode(204);
        assertEquals(Set.of(), contactsOf(ana));
        assertEquals(Set.of(), contactsOf(bob));

        befriend(bob, ana);
        ana.as().body("{\"handle\":\"" + bob.handle() + "\"}").post("/api/contacts/blocks").then().statusCode(204);
        assertEquals(Set.of(), contactsOf(ana), "a block ends the contact");
        assertEquals(Set.of(), contactsOf(bob), "a block ends the contact");

        // what Redis lost or holds wrongly is repaired by a resync
        TestUsers.User dan = TestUsers.newUser("dan");
        befriend(dan, carl);
        redis.key().del(config.schema().contacts(apps.mainId(), dan.id()));
        redis.set(String.class).sadd(config.schema().contacts(apps.mainId(), carl.id()), "999999999");
        contactMirror.resync();
        assertEquals(Set.of(carl.id()), contactsOf(dan));
        assertEquals(Set.of(dan.id()), contactsOf(carl));
    }

    @Test
    void blockingAndUnblockingAreMirroredAndAnnounced() {
        PresenceSchema schema = config.schema();
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User eve = TestUsers.newUser("eve");
        List<String> heard = new CopyOnWriteArrayList<>();
        PubSubCommands.RedisSubscriber subscriber = redis.pubsub(String.class).subscribe(schema.control(), heard::add);
        try {
            ana.as().body("{\"handle\":\"" + eve.handle() + "\"}").post("/api/contacts/blocks").then().statusCode(204);
            assertEquals(Set.of(ana.id()), redis.set(String.class).smembers(schema.blockers(apps.mainId(), eve.id())));
            await().atMost(WAIT).until(() -> heard.contains(EventCodec.encode(new ControlCommand.BlocksChanged(eve.id()))));

            heard.clear();
            ana.as().delete("/api/contacts/blocks/" + eve.handle()).then().statusCode(204);
            assertTrue(redis.set(String.class).smembers(schema.blockers(apps.mainId(), eve.id())).isEmpty());
            await().atMost(WAIT).until(() -> heard.contains(EventCodec.encode(new ControlCommand.BlocksChanged(eve.id()))));
        } finally {
            subscriber.unsubscribe();
        }
    }

    @Test
    void aResyncRepairsWhatRedisLost() {
        PresenceSchema schema = config.schema();
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User eve = TestUsers.newUser("eve");
        ana.as().body("{\"handle\":\"" + eve.handle() + "\"}").post("/api/contacts/blocks").then().statusCode(204);
        redis.key().del(schema.blockers(apps.mainId(), eve.id()));
        redis.set(String.class).sadd(schema.blockers(apps.mainId(), "999999"), "1");
        redis.set(String.class).sadd(schema.blockedUsers(apps.mainId()), "999999");

        assertTrue(mirror.resync() >= 2);
        assertEquals(Set.of(ana.id()), redis.set(String.class).smembers(schema.blockers(apps.mainId(), eve.id())));
        assertTrue(redis.set(String.class).smembers(schema.blockers(apps.mainId(), "999999")).isEmpty(), "a block not in the database is dropped");
        assertEquals(0, mirror.resync(), "nothing left to repair");
    }
}
