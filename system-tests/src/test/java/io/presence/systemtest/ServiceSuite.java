package io.presence.systemtest;

import io.presence.infra.InfraSettings;
import io.presence.infra.Infrastructure;
import io.presence.infra.PostgresEndpoint;
import io.presence.infra.RedisEndpoint;
import io.presence.infra.SuiteEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The packaged services of one test class as processes, with a presence key prefix of their own and logs named
 * {@code <name>-<instance>.log}: either the four services on the discovered stores with a database of their own
 * ({@link #start(Path, String)}), or any services on given stores, each with environment overrides (a Redis behind a
 * {@link TcpProxy}, a Redis Cluster) and as many gateways as wanted. Closing stops them all, and drops the database
 * and closes the stores it opened itself.
 */
final class ServiceSuite implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();

    private final Path root;
    private final String name;
    private final PostgresEndpoint database;
    private final RedisEndpoint redis;
    private final SuiteEnvironment.Ports ports;
    private final String prefix;
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private Infrastructure ownInfra;
    private boolean ownDatabase;

    /** Services on the given stores (database may be null when no service started needs one). */
    ServiceSuite(String name, PostgresEndpoint database, RedisEndpoint redis) throws IOException {
        this(ROOT, name, database, redis);
    }

    private ServiceSuite(Path root, String name, PostgresEndpoint database, RedisEndpoint redis) throws IOException {
        this.root = root;
        this.name = name;
        this.database = database;
        this.redis = redis;
        this.ports = new SuiteEnvironment.Ports(Infrastructure.freePort(), Infrastructure.freePort(), Infrastructure.freePort(),
                Infrastructure.freePort());
        this.prefix = "systest-" + name + "-" + UUID.randomUUID();
    }

    /** The four services on the discovered stores and a fresh database, ready; on failure stops what it started. */
    static ServiceSuite start(Path root, String name) throws Exception {
        return start(root, name, null, Map.of(), Map.of());
    }

    /** As {@link #start(Path, String)}, with settings of some services overridden (by service name). */
    static ServiceSuite start(Path root, String name, Map<String, Map<String, String>> byService) throws Exception {
        return start(root, name, null, Map.of(), byService);
    }

    /**
     * The four services on the discovered PostgreSQL (a fresh database) and the given Redis (null: the discovered one),
     * each with the same environment overrides (e.g. a Redis Cluster's), ready; on failure stops what it started.
     */
    static ServiceSuite start(Path root, String name, RedisEndpoint redis, Map<String, String> overrides) throws Exception {
        return start(root, name, redis, overrides, Map.of());
    }

    private static ServiceSuite start(Path root, String name, RedisEndpoint redis, Map<String, String> overrides,
                                      Map<String, Map<String, String>> byService) throws Exception {
        Infrastructure infra = Infrastructure.open(InfraSettings.fromEnvironment(), root.resolve("system-tests/target/infra-" + name),
                System.out::println);
        PostgresEndpoint database = infra.postgres().withDatabase("systest_" + name + "_" + UUID.randomUUID().toString().replace("-", ""));
        database.ensureDatabase();
        ServiceSuite suite = new ServiceSuite(root, name, database, redis == null ? infra.redis() : redis);
        suite.ownInfra = infra;
        suite.ownDatabase = true;
        try {
            for (String service : SuiteEnvironment.SERVICES) {
                Map<String, String> env = new LinkedHashMap<>(overrides);
                env.putAll(byService.getOrDefault(service, Map.of()));
                suite.start(service, env);
            }
            suite.awaitReady();
            return suite;
        } catch (Exception e) {
            try {
                suite.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The ports of the four services and the gateway's management port (its metrics). */
    SuiteEnvironment.Ports ports() {
        return ports;
    }

    /** A suite on the discovered Redis alone (no database), closed with it; services are started one by one. */
    static ServiceSuite onLocalRedis(String name) throws IOException {
        Infrastructure infra = Infrastructure.open(InfraSettings.fromEnvironment(), ROOT.resolve("system-tests/target/infra-" + name),
                System.out::println);
        ServiceSuite suite = new ServiceSuite(ROOT, name, null, infra.redis());
        suite.ownInfra = infra;
        return suite;
    }

    /** The presence key prefix every service of this suite uses. */
    String prefix() {
        return prefix;
    }

    /** Starts a service on its port (for the gateway: the first one), with environment overrides. */
    ServiceProcess start(String service, Map<String, String> overrides) throws IOException {
        return start(service, service, ports.of(service), overrides);
    }

    /** Starts one more gateway on a port of its own; the backends it fronts are this suite's. */
    ServiceProcess startGateway(String instance, Map<String, String> overrides) throws IOException {
        Map<String, String> own = new LinkedHashMap<>();
        own.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(Infrastructure.freePort()));
        own.putAll(overrides);
        return startReplica("gateway-service", instance, own);
    }

    /** Starts one more replica of a service on a port of its own (a second presence-service, say). */
    ServiceProcess startReplica(String service, String instance, Map<String, String> overrides) throws IOException {
        return start(service, instance, Infrastructure.freePort(), overrides);
    }

    private ServiceProcess start(String service, String instance, int port, Map<String, String> overrides) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(SuiteEnvironment.forService(service, database, redis, ports,
                root.resolve("system-tests/target").resolve(name)));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("PRESENCE_STORE_KEY_PREFIX", prefix);
        env.putAll(overrides);
        ServiceProcess process = ServiceProcess.start(root, service, port, env, name + "-" + instance);
        environments.put(instance, env);
        services.put(instance, process);
        return process;
    }

    void awaitReady() throws InterruptedException {
        for (ServiceProcess p : services.values()) {
            p.awaitReady(Duration.ofSeconds(90));
        }
    }

    /** A service (or gateway instance) by the name it was started under. */
    ServiceProcess service(String instance) {
        return services.get(instance);
    }

    String gateway(String path) {
        return service("gateway-service").url(path);
    }

    /** Stops a service with SIGTERM, as a rolling update does. */
    void stop(String instance) throws InterruptedException {
        services.get(instance).close();
    }

    /** Starts a stopped service again on the same port with the same settings; its log is {@code <name>-<again>.log}. */
    ServiceProcess startAgain(String instance, String again) throws Exception {
        ServiceProcess before = services.get(instance);
        ServiceProcess process = ServiceProcess.start(root, before.service, before.port, environments.get(instance), name + "-" + again);
        services.put(instance, process);
        process.awaitReady(Duration.ofSeconds(90));
        return process;
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess service : services.values()) {
            service.close();
        }
        if (ownDatabase) {
            database.dropDatabase();
        }
        if (ownInfra != null) {
            ownInfra.close();
        }
    }
}
