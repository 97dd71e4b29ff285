package io.presence.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Hands a Quarkus test the stores it needs: a fresh database on the discovered PostgreSQL (dropped afterwards)
 * and/or the discovered Redis. Each service's tests extend it, naming their stores.
 */
public abstract class InfraTestResource implements QuarkusTestResourceLifecycleManager {

    /** The stores a service can ask for. */
    public enum Store { POSTGRES, REDIS }

    private static Infrastructure shared;

    private final Set<Store> stores;
    private PostgresEndpoint database;

    protected InfraTestResource(Store first, Store... rest) {
        this.stores = EnumSet.of(first, rest);
    }

    /** One discovery per test JVM; embedded servers, if any, live until the JVM exits. */
    public static synchronized Infrastructure infrastructure() {
        if (shared == null) {
            Path workDir = Path.of("target", "test-infra-" + ProcessHandle.current().pid()).toAbsolutePath();
            shared = Infrastructure.open(InfraSettings.fromEnvironment(), workDir, line -> System.out.println("[infra] " + line));
            Infrastructure started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-infra-shutdown"));
        }
        return shared;
    }

    @Override
    public Map<String, String> start() {
        Infrastructure infra = infrastructure();
        Map<String, String> config = new HashMap<>();
        try {
            if (stores.contains(Store.POSTGRES)) {
                database = infra.postgres().withDatabase("test_" + UUID.randomUUID().toString().replace("-", ""));
                database.ensureDatabase();
                config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
                config.put("quarkus.datasource.username", database.user());
                config.put("quarkus.datasource.password", database.password());
            }
            if (stores.contains(Store.REDIS)) {
                config.put("quarkus.redis.hosts", infra.redis().url());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database", e);
        }
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            try {
                database.dropDatabase();
            } catch (SQLException e) {
                System.err.println("[infra] could not drop test database " + database.database() + ": " + e.getMessage());
            }
        }
    }
}
