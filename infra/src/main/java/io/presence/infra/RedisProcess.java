package io.presence.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} process on a free port, for tests that stop, restart or cut off Redis without
 * disturbing anyone else's: kept nothing on disk, so a restart comes back empty (what a Redis restart without
 * persistence looks like). Needs {@code redis-server} on the PATH ({@link #available()}).
 */
public final class RedisProcess implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private RedisProcess(Path dir, int port, List<String> extraArgs) {
        this.dir = dir;
        this.port = port;
        this.extraArgs = extraArgs;
    }

    /** True when a {@code redis-server} binary is on the PATH. */
    public static boolean available() {
        return executable("redis-server") != null;
    }

    /** Starts one on a free port, its files in {@code dir}. */
    public static RedisProcess start(Path dir, String... extraArgs) throws IOException {
        RedisProcess redis = new RedisProcess(dir, Infrastructure.freePort(), List.of(extraArgs));
        redis.start();
        return redis;
    }

    public int port() {
        return port;
    }

    public RedisEndpoint endpoint() {
        return new RedisEndpoint("127.0.0.1", port, "", true);
    }

    /** Starts the server (again) and waits until it answers PING. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        Files.createDirectories(dir);
        String binary = executable("redis-server");
        if (binary == null) {
            throw new IOException("redis-server is not on the PATH");
        }
        List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no"));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        awaitPing(Duration.ofSeconds(10));
    }

    /** Kills the server at once (SIGKILL): clients see their connections drop; everything it held is gone. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Kills and starts it again, empty, on the same port. */
    public void restart() throws IOException, InterruptedException {
        kill();
        start();
    }

    private void awaitPing(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        IOException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                endpoint().ping();
                return;
            } catch (IOException e) {
                last = e;
                sleep(50);
            }
        }
        throw new IOException("redis-server on port " + port + " did not answer", last);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The absolute path of a program on the PATH, or null. */
    static String executable(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
