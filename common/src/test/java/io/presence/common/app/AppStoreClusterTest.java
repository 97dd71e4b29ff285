package io.presence.common.app;

import io.presence.common.redis.TestRedis;
import io.presence.common.testing.RequiredTool;
import io.presence.infra.RedisCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The app store's Redis side on a local three-master Redis Cluster: every script stays in one slot. */
class AppStoreClusterTest extends AppStoreContract {

    private static RedisCluster cluster;
    private static TestRedis redis;

    @BeforeAll
    static void startCluster() throws Exception {
        RequiredTool.require(RedisCluster.available(), "redis-server and redis-cli", "apt-get install redis-server");
        cluster = RedisCluster.start(Path.of("target", "redis-cluster-apps-" + ProcessHandle.current().pid()).toAbsolutePath(), 3, 0);
        redis = TestRedis.cluster(cluster.urls());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    TestRedis redis() {
        return redis;
    }
}
