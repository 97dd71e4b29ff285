package io.presence.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private redis-server processes: ports a cluster can use, and a start that fails says why. */
class RedisProcessTest {

    @TempDir
    Path temp;

    @Test
    void portsLeaveTheClusterBusPortFreeAndStayBelowTheEphemeralRange() throws IOException {
        for (int i = 0; i < 50; i++) {
            int port = RedisProcess.freePort();
            assertTrue(port < 32_768, "port " + port + " is in the ephemeral range");
            try (ServerSocket server = new ServerSocket(); ServerSocket bus = new ServerSocket()) {
                server.bind(new InetSocketAddress("127.0.0.1", port));
                bus.bind(new InetSocketAddress("127.0.0.1", port + 10_000));
            }
        }
    }

    @Test
    void aServerThatCannotStartIsReportedWithItsLog() {
        assumeTrue(RedisProcess.available(), "redis-server is not installed");
        IOException failure = assertThrows(IOException.class,
                () -> RedisProcess.start(temp.resolve("bad"), "--no-such-directive", "yes"));
        assertTrue(failure.getMessage().contains("exited with"), failure.getMessage());
        assertTrue(failure.getMessage().contains("no-such-directive"), failure.getMessage());
    }

    @Test
    void aStartedServerAnswersAndARestartKeepsItsPort() throws Exception {
        assumeTrue(RedisProcess.available(), "redis-server is not installed");
        try (RedisProcess redis = RedisProcess.start(temp.resolve("ok"))) {
            int port = redis.port();
            redis.endpoint().ping();
            redis.restart();
            redis.endpoint().ping();
            assertEquals(port, redis.port());
            assertNotEquals(0, port);
        }
    }
}
