package io.presence.common.presence;

import io.presence.common.redis.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The presence contract on the test Redis. */
class ChannelPresenceTest extends ChannelPresenceContract {

    private static TestRedis redis;

    @BeforeAll
    static void connect() {
        redis = TestRedis.standalone();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Override
    TestRedis redis() {
        return redis;
    }
}
