package io.presence.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

    private static final int START_ATTEMPTS = 5;
    private static final int CLUSTER_BUS_OFFSET = 10_000;
    private static final int PORTS_FROM = 12_000;
    private static final int PORTS_COUNT = 10_000;
    private static final java.util.Random RANDOM = new java.util.Random();

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

    /**
     * Starts one on a free port, its files in {@code dir}. A port found free can be taken by someone else before the
     * server binds it (or, in cluster mode, its bus port, port + 10,000), so a server that exits at start is tried
     * again on another port, a few times.
     */
    public static RedisProcess start(Path dir, String... extraArgs) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            RedisProcess redis = new RedisProcess(dir, freePort(), List.of(extraArgs));
            try {
                redis.start();
                return redis;
            } catch (ExitedAtStart e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * A port that is free on 127.0.0.1 together with port + 10,000 (the cluster bus port), both below the kernel's
     * ephemeral range (32768 and up by default), where outgoing connections would otherwise take them.
     */
    static int freePort() {
        for (int i = 0; i < 1_000; i++) {
            int port = PORTS_FROM + RANDOM.nextInt(PORTS_COUNT);
            if (bindable(port) && bindable(port + CLUSTER_BUS_OFFSET)) {
                return port;
            }
        }
        return Infrastructure.freePort(); // the low range is crowded: fall back to any free port
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
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
        Path log = dir.resolve("redis-" + port + ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        awaitPing(started, log, Duration.ofSeconds(30));
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

    private void awaitPing(Process started, Path log, Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        IOException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                endpoint().ping();
                if (started.isAlive()) {
                    return;
                }
                // someone else's server answered on this port: ours exited
                throw new IOException("PONG from another process on port " + port);
            } catch (IOException e) {
                last = e;
                if (!started.isAlive()) {
                    throw new ExitedAtStart("redis-server on port " + port + " exited with " + started.exitValue()
                            + "; its log ends:\n" + tail(log), e);
                }
                sleep(50);
            }
        }
        started.destroyForcibly();
        throw new IOException("redis-server on port " + port + " did not answer within " + timeout
                + "; its log ends:\n" + tail(log), last);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The server process ended before it answered: most often its port (or bus port) was taken meanwhile. */
    private static final class ExitedAtStart extends IOException {
        ExitedAtStart(String message, Throwable cause) {
            super(message, cause);
        }
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
