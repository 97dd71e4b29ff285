package io.presence.systemtest.bench;

import io.presence.infra.InfraSettings;
import io.presence.infra.Infrastructure;
import io.presence.infra.PostgresEndpoint;
import io.presence.infra.RedisEndpoint;
import io.presence.infra.RedisProcess;
import io.presence.infra.SuiteEnvironment;
import io.presence.systemtest.TestBudgets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The packaged services of a load tool as processes on the discovered PostgreSQL (a database of their own, dropped at
 * the end) and a private Redis when one can be started (else the discovered one), under a key prefix of their own.
 * Closing stops the processes and drops the database.
 */
final class BenchServices implements AutoCloseable {

    final Path root;
    final Path work;
    final Infrastructure infra;
    final RedisEndpoint redis;
    final PostgresEndpoint db;
    final SuiteEnvironment.Ports ports;
    private final RedisProcess ownRedis;
    private final String prefix = "bench-" + UUID.randomUUID();
    private final Map<String, Process> processes = new LinkedHashMap<>();

    private BenchServices(Path root, Path work, RedisProcess ownRedis, Infrastructure infra, RedisEndpoint redis, PostgresEndpoint db) {
        this.root = root;
        this.work = work;
        this.ownRedis = ownRedis;
        this.infra = infra;
        this.redis = redis;
        this.db = db;
        this.ports = new SuiteEnvironment.Ports(Infrastructure.freePort(), Infrastructure.freePort(), Infrastructure.freePort(),
                Infrastructure.freePort());
    }

    /** Finds (or starts) the stores; {@code workName} is the folder under system-tests/target, {@code dbPrefix} the database's name's start. */
    static BenchServices open(String workName, String dbPrefix) throws Exception {
        Path root = Path.of(System.getProperty("suite.root", ".")).toAbsolutePath().normalize();
        Path work = root.resolve("system-tests/target/" + workName);
        Files.createDirectories(work);
        RedisProcess ownRedis = ServerCost.privateRedis(work);
        Infrastructure infra = null;
        try {
            infra = Infrastructure.open(InfraSettings.fromEnvironment(), work.resolve("infra"), System.out::println);
            RedisEndpoint redis = ownRedis != null ? ownRedis.endpoint() : infra.redis();
            PostgresEndpoint db = infra.postgres().withDatabase(dbPrefix + UUID.randomUUID().toString().replace("-", ""));
            db.ensureDatabase();
            return new BenchServices(root, work, ownRedis, infra, redis, db);
        } catch (Exception | Error e) {
            if (infra != null) {
                infra.close();
            }
            if (ownRedis != null) {
                ownRedis.close();
            }
            throw e;
        }
    }

    /** Starts a service with the suite's environment, the run's key prefix and {@code extra}; see {@link #awaitReady()}. */
    Process start(String service, Map<String, String> extra, String heap) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(SuiteEnvironment.forService(service, db, redis, ports, work));
        env.put("PRESENCE_STORE_KEY_PREFIX", prefix);
        env.putAll(TestBudgets.forService(service));
        env.putAll(extra);
        Process process = PresenceBenchmark.start(root, service, env, work, heap);
        processes.put(service, process);
        return process;
    }

    /** Waits until every service started is ready. */
    void awaitReady() throws Exception {
        for (String service : processes.keySet()) {
            PresenceBenchmark.awaitReady(ports.of(service));
        }
    }

    long pid(String service) {
        return processes.get(service).pid();
    }

    @Override
    public void close() throws Exception {
        try {
            for (Process p : processes.values()) {
                p.destroy();
            }
            for (Process p : processes.values()) {
                p.waitFor(20, TimeUnit.SECONDS);
            }
            db.dropDatabase();
        } finally {
            try {
                infra.close();
            } finally {
                if (ownRedis != null) {
                    ownRedis.close();
                }
            }
        }
    }
}
