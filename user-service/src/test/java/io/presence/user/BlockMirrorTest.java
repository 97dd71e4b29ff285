package io.presence.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.event.ControlCommand;
import io.presence.common.event.EventCodec;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.testsupport.FakeMessageService;
import io.presence.user.repository.BlockMirror;
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

/** Blocks reach the presence store (where gateways and presence-service read them) and the gateways hear of them. */
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

    @Test
    void blockingAndUnblockingAreMirroredAndAnnounced() {
        PresenceSchema schema = config.schema();
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User eve = TestUsers.newUser("eve");
        List<String> heard = new CopyOnWriteArrayList<>();
        PubSubCommands.RedisSubscriber subscriber = redis.pubsub(String.class).subscribe(schema.control(), heard::add);
        try {
            ana.as().body("{\"handle\":\"" + eve.handle() + "\"}").post("/api/contacts/blocks").then().statusCode(204);
            assertEquals(Set.of(ana.id()), redis.set(String.class).smembers(schema.blockers(eve.id())));
            await().atMost(WAIT).until(() -> heard.contains(EventCodec.encode(new ControlCommand.BlocksChanged(eve.id()))));

            heard.clear();
            ana.as().delete("/api/contacts/blocks/" + eve.handle()).then().statusCode(204);
            assertTrue(redis.set(String.class).smembers(schema.blockers(eve.id())).isEmpty());
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
        redis.key().del(schema.blockers(eve.id()));
        redis.set(String.class).sadd(schema.blockers("999999"), "1");
        redis.set(String.class).sadd(schema.blockedUsers(), "999999");

        assertTrue(mirror.resync() >= 2);
        assertEquals(Set.of(ana.id()), redis.set(String.class).smembers(schema.blockers(eve.id())));
        assertTrue(redis.set(String.class).smembers(schema.blockers("999999")).isEmpty(), "a block not in the database is dropped");
        assertEquals(0, mirror.resync(), "nothing left to repair");
    }
}
