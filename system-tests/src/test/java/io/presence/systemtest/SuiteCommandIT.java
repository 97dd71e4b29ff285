package io.presence.systemtest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.infra.Infrastructure;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The run command as a user types it: {@code ./suite up --detach}, {@code status}, {@code down}, on embedded stores. */
class SuiteCommandIT {

    private static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
    private static final Path STATE = ROOT.resolve("system-tests/target/suite-state");

    private final int gatewayPort = Infrastructure.freePort();
    private final Map<String, String> env = Map.of(
            "SUITE_STATE_DIR", STATE.toString(),
            "SUITE_INFRA", "embedded",
            "SUITE_GATEWAY_PORT", Integer.toString(gatewayPort),
            "SUITE_USER_PORT", Integer.toString(Infrastructure.freePort()),
            "SUITE_PRESENCE_PORT", Integer.toString(Infrastructure.freePort()),
            "SUITE_MESSAGE_PORT", Integer.toString(Infrastructure.freePort()),
            "SUITE_GATEWAY_MANAGEMENT_PORT", Integer.toString(Infrastructure.freePort()));

    private record Result(int exit, String output) {
    }

    private Result suite(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(ROOT.resolve("system-tests/target"), "suite-", ".out");
        try {
            List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("suite").toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            Process process = builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("./suite " + String.join(" ", args) + " did not finish:\n" + Files.readString(out));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @AfterEach
    void alwaysStop() throws Exception {
        suite("down");
    }

    @Test
    void upStatusAndDownLeaveNothingBehind() throws Exception {
        Result up = suite("up", "--detach");
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("using embedded PostgreSQL"), up.output());
        assertTrue(up.output().contains("using embedded Redis"), up.output());
        assertTrue(up.output().contains("http://localhost:" + gatewayPort), up.output());

        given().get("http://127.0.0.1:" + gatewayPort + "/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        // the gateway's metrics are on its management port, on this machine only (issue 17, item 8)
        given().get("http://127.0.0.1:" + env.get("SUITE_GATEWAY_MANAGEMENT_PORT") + "/q/metrics").then().statusCode(200);
        given().get("http://127.0.0.1:" + gatewayPort + "/q/metrics").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"handle\":\"via-suite\",\"password\":\"long enough\"}")
                .post("http://127.0.0.1:" + gatewayPort + "/api/users").then().statusCode(201);

        Result status = suite("status");
        assertEquals(4, status.output().lines().filter(l -> l.endsWith(", ready")).count(), status.output());

        Result again = suite("up", "--detach");
        assertEquals(1, again.exit(), "a second 'up' refuses while one runs: " + again.output());

        Result down = suite("down");
        assertEquals(0, down.exit(), down.output());
        assertFalse(Files.exists(STATE.resolve("run")), "run state removed");
        List<String> leftovers = ProcessHandle.allProcesses()
                .map(p -> p.info().commandLine().orElse(""))
                .filter(cmd -> cmd.contains(STATE.toString()))
                .toList();
        assertTrue(leftovers.isEmpty(), "processes left: " + leftovers);
        for (String port : List.of("SUITE_GATEWAY_PORT", "SUITE_USER_PORT", "SUITE_PRESENCE_PORT", "SUITE_MESSAGE_PORT",
                "SUITE_GATEWAY_MANAGEMENT_PORT")) {
            assertFalse(listening(Integer.parseInt(env.get(port))), "nothing listens on " + port + " any more");
        }
        assertTrue(suite("status").output().contains("Not running"));
    }
}
