package io.presence.gateway.presence;

import io.presence.gateway.GatewayStores;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The presence contract on the Redis implementation the gateway runs, against the discovered Redis. */
@QuarkusTest
@WithTestResource(GatewayStores.class)
class RedisPresenceManagerTest extends PresenceManagerContract {

    @Inject
    RedisPresenceManager manager;

    @Override
    protected PresenceManager manager() {
        return manager;
    }
}
