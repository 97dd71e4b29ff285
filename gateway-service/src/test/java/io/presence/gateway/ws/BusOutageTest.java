package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.gateway.GatewayStores;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Frames published while this gateway's pub/sub connection was down are made up for with a fresh member list. */
@QuarkusTest
@WithTestResource(GatewayStores.class)
class BusOutageTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    RedisDataSource redis;

    @Inject
    PresenceStoreConfig config;

    @Inject
    Broker broker;

    @Test
    void afterTheBusReconnectsPresenceSubscribersGetTheCurrentMembers() throws Exception {
        String channel = "presence-gap-" + System.nanoTime();
        String ghost = "ghost" + System.nanoTime();
        try (TestSocket watcher = TestSocket.connect(port)) {
            watcher.joinPresence(channel, "watcher" + System.nanoTime(), "Watcher");
            String clients = redis.execute("CLIENT", "LIST").toString();
            String id = null;
            for (String line : clients.split("\n")) {
                if (line.contains(" name=" + broker.clientName() + " ")) {
                    id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
                }
            }
            assertTrue(id != null, "the bus connection is named " + broker.clientName());
            redis.execute("CLIENT", "KILL", "ID", id);

            // another gateway's user joins while this gateway hears nothing: its member_added is lost
            PresenceSchema schema = config.schema();
            String[] keys = schema.channelKeys("app-id", channel);
            redis.execute("EVAL", PresenceSchema.JOIN_SCRIPT, "3", keys[0], keys[1], keys[2], "elsewhere-1", ghost,
                    "{\"name\":\"Ghost\",\"status\":\"online\"}", "100");
            redis.execute("PUBLISH", schema.busChannel("app-id", channel),
                    PresenceSchema.busMessage(null, PresenceSchema.memberAddedFrame(channel, ghost, TestSocket.JSON.createObjectNode())));

            JsonNode again = watcher.data(watcher.next("pusher_internal:subscription_succeeded")).get("presence");
            assertTrue(again.get("hash").has(ghost), again.toString());
            assertEquals(2, again.get("count").asInt());
        }
    }
}
