package io.presence.systemtest;

import io.presence.common.testing.RequiredTool;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs node and npm for the tests that drive real JavaScript clients; output goes to a file under target. */
final class NodeScripts {

    /** Acts on each complete line the script prints, while it runs. */
    interface LineHandler {
        void accept(String line) throws Exception;
    }

    private NodeScripts() {
    }

    /** Debian's Chromium, or the one CHROMIUM names (an empty CHROMIUM names none), that playwright-core drives. */
    static final Path CHROMIUM = Path.of(java.util.Optional.ofNullable(System.getenv("CHROMIUM"))
            .filter(path -> !path.isBlank()).orElse("/usr/bin/chromium"));

    /** Node.js and npm, or a failure under CI and a skip elsewhere ({@link RequiredTool}). */
    static void requireNode() {
        RequiredTool.require(available("node") && available("npm"), "Node.js and npm", "apt-get install nodejs npm");
    }

    /** Node.js, npm and Chromium for the tests that drive a browser. */
    static void requireBrowser() {
        requireNode();
        RequiredTool.require(Files.isExecutable(CHROMIUM), CHROMIUM.toString(), "apt-get install chromium");
    }

    static boolean available(String command) {
        try {
            return new ProcessBuilder(command, "--version").redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Copies a committed npm project (package.json, lock, scripts) under target and installs it with {@code npm ci}. */
    static Path install(Path root, String source, String target) throws Exception {
        Path project = root.resolve(target);
        Files.createDirectories(project);
        try (Stream<Path> files = Files.list(root.resolve(source))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, project.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        run(root, project, Map.of(), Duration.ofMinutes(3), "npm", "ci", "--no-audit", "--no-fund");
        return project;
    }

    static String run(Path root, Path dir, Map<String, String> env, Duration timeout, String... command) throws Exception {
        return run(root, dir, env, timeout, line -> { }, command);
    }

    /** Runs the command in {@code dir}, fails the test unless it exits 0 in time, and returns its output. */
    static String run(Path root, Path dir, Map<String, String> env, Duration timeout, LineHandler onLine, String... command)
            throws Exception {
        Path out = Files.createTempFile(root.resolve("system-tests/target"), "node-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            Instant deadline = Instant.now().plus(timeout);
            int handled = 0;
            while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
                String[] lines = Files.readString(out).split("\n", -1);
                for (; handled < lines.length - 1; handled++) { // the last element is an unfinished line
                    onLine.accept(lines[handled].strip());
                }
                if (Instant.now().isAfter(deadline)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish:\n" + Files.readString(out));
                }
            }
            String output = Files.readString(out);
            assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
