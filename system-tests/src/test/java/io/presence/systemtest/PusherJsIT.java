package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.infra.Infrastructure;
import io.presence.infra.InfraSettings;
import io.presence.infra.SuiteEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real pusher-js (its Node build, from npm) against a gateway process: two clients in one presence channel,
 * member_added, a client event with user_id, member_removed. Skipped, visibly, only where Node.js is not installed.
 */
class PusherJsIT {

    private static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();

    private static boolean available(String command) {
        try {
            return new ProcessBuilder(command, "--version").redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(Path dir, Map<String, String> env, Duration timeout, String... command) throws Exception {
        Path out = Files.createTempFile(ROOT.resolve("system-tests/target"), "node-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish:\n" + Files.readString(out));
            }
            String output = Files.readString(out);
            assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void pusherJsJoinsSeesMembersAndClientEvents() throws Exception {
        Assumptions.assumeTrue(available("node") && available("npm"), "Node.js and npm are not installed: pusher-js check skipped");
        Path project = ROOT.resolve("system-tests/target/pusher-js");
        Files.createDirectories(project);
        try (Stream<Path> files = Files.list(ROOT.resolve("system-tests/src/test/node"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, project.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        run(project, Map.of(), Duration.ofMinutes(3), "npm", "ci", "--no-audit", "--no-fund");

        try (Infrastructure infra = Infrastructure.open(InfraSettings.fromEnvironment(), ROOT.resolve("system-tests/target/infra-js"), System.out::println)) {
            int port = Infrastructure.freePort();
            SuiteEnvironment.Ports ports = new SuiteEnvironment.Ports(port, Infrastructure.freePort(),
                    Infrastructure.freePort(), Infrastructure.freePort());
            Map<String, String> env = new LinkedHashMap<>(SuiteEnvironment.forService("gateway-service", null, infra.redis(), ports,
                    ROOT.resolve("system-tests/target/gateway-js")));
            env.put("PRESENCE_STORE_KEY_PREFIX", "js-" + UUID.randomUUID());
            try (ServiceProcess gateway = ServiceProcess.start(ROOT, "gateway-service", port, env, "gateway-js")) {
                gateway.awaitReady(Duration.ofSeconds(90));
                String output = run(project, Map.of("GATEWAY_PORT", Integer.toString(port)), Duration.ofSeconds(60),
                        "node", "presence-check.cjs");
                JsonNode seen = new ObjectMapper().readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
                assertTrue(seen.get("ok").asBoolean(), output);
                assertEquals(1, seen.get("anaCountOnJoin").asInt());
                assertEquals(2, seen.get("bobCountOnJoin").asInt());
                assertEquals("bob", seen.get("added").asText());
                assertEquals("bob", seen.get("clientEvent").get("userId").asText());
                assertEquals("bob", seen.get("clientEvent").get("data").get("from").asText());
                assertEquals("bob", seen.get("removed").asText());
                assertEquals(1, seen.get("anaCountAtEnd").asInt());
                assertTrue(seen.get("socketId").asText().matches("\\d+\\.\\d+"));
            }
        }
    }
}
