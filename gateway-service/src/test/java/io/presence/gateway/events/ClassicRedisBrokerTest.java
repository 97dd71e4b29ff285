package io.presence.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.presence.common.event.EventPublisher;
import io.presence.common.store.PresenceSchema;
import io.presence.common.redis.TestRedis;
import io.presence.infra.InfraTestResource;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The broker contract on classic pub/sub, against the tests' Redis; the bus is cut with CLIENT KILL. */
class ClassicRedisBrokerTest extends BrokerContract {

    private static String url;
    private static TestRedis redis;
    private static Vertx vertx;
    private static EventPublisher publisher;

    @BeforeAll
    static void connect() throws IOException {
        url = InfraTestResource.infrastructure().redis().url();
        redis = TestRedis.at(url);
        vertx = Vertx.vertx();
        publisher = redis.eventPublisher();
    }

    @AfterAll
    static void disconnect() {
        if (redis != null) {
            redis.close();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
    }

    @Override
    Broker create(String clientName) {
        return new ClassicRedisBroker(vertx, List.of(url), Optional.empty(), schema().control(), clientName, publisher);
    }

    @Override
    PresenceSchema schema() {
        return redis.storeConfig().schema();
    }

    @Override
    int cut(Broker broker, String clientName) {
        List<String> ids = idsNamed(redis.call(Command.CLIENT, "LIST").toString(), clientName);
        assertEquals(1, ids.size(), "one connection carries everything");
        redis.call(Command.CLIENT, "KILL", "ID", ids.get(0));
        return 1;
    }
}
