package io.presence.message;

import io.presence.infra.InfraTestResource;
import io.presence.infra.PostgresEndpoint;
import io.presence.infra.StoppablePostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * For fault tests: message-service on a private embedded PostgreSQL that the test stops and starts for real
 * ({@link #server}), and on the shared Redis.
 */
public class PrivatePostgres implements QuarkusTestResourceLifecycleManager {

    /** The running server, for the test to stop and restart. */
    public static volatile StoppablePostgres server;
    /** The database the service uses on it. */
    public static volatile PostgresEndpoint database;

    @Override
    public Map<String, String> start() {
        try {
            Path work = Path.of("target", "private-pg-" + ProcessHandle.current().pid()).toAbsolutePath();
            server = StoppablePostgres.start(work);
            database = server.endpoint("faults");
            database.ensureDatabase();
            Map<String, String> config = new HashMap<>();
            config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
            config.put("quarkus.datasource.username", database.user());
            config.put("quarkus.datasource.password", database.password());
            config.put("quarkus.redis.hosts", InfraTestResource.infrastructure().redis().url());
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the fault test database", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            System.err.println("[infra] could not stop the private PostgreSQL: " + e.getMessage());
        }
    }
}
