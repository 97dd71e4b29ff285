package io.presence.common.app;

import io.presence.common.redis.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The app store's Redis side on the test Redis. */
class AppStoreTest extends AppStoreContract {

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
