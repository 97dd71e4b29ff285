package io.presence.systemtest;

import io.presence.infra.InfraSettings;
import io.presence.infra.Infrastructure;
import io.presence.infra.PostgresEndpoint;
import io.presence.infra.RedisEndpoint;
import io.presence.infra.SuiteEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Packaged services as processes on given stores, with a presence key prefix of their own and logs named
 * {@code <name>-<instance>.log}: the four services, more gateways or replicas, each with environment overrides (a
 * Redis Cluster's, webhook receivers). With {@link #proxied()} every instance reaches its stores through
 * {@link TcpProxy}s of its own, so a test can take a store away from one instance. Closing stops them all, then the
 * proxies, and drops the database and closes the stores when the suite opened them itself.
 */
final class ServiceSuite implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
    private static final Duration READY = Duration.ofSeconds(300);
    /** Suites started per name in this JVM, so a second suite of a name keeps the first one's logs. */
    private static final Map<String, Integer> STARTED = new java.util.concurrent.ConcurrentHashMap<>();

    private final String name;
    private final PostgresEndpoint database;
    private final RedisEndpoint redis;
    private final SuiteEnvironment.Ports ports;
    private final String prefix;
    private final Map<String, String> common = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, TcpProxy> redisProxies = new LinkedHashMap<>();
    private final Map<String, TcpProxy> postgresProxies = new LinkedHashMap<>();
    private final Map<String, Integer> starts = new LinkedHashMap<>();
    private boolean proxied;
    private Infrastructure ownInfra;
    private boolean ownDatabase;

    /** Services on the given stores (database may be null when no service started needs one). */
    ServiceSuite(String name, PostgresEndpoint database, RedisEndpoint redis) {
        int n = STARTED.merge(name, 1, Integer::sum);
        this.name = n == 1 ? name : name + "-" + n;
        this.database = database;
        this.redis = redis;
        this.ports = new SuiteEnvironment.Ports(Infrastructure.freePort(), Infrastructure.freePort(), Infrastructure.freePort(),
                Infrastructure.freePort());
        this.prefix = "systest-" + name + "-" + UUID.randomUUID();
    }

    /**
     * A suite on the discovered PostgreSQL (a fresh database of its own, dropped on close) and the given Redis (null:
     * the discovered one); no service started yet.
     */
    static ServiceSuite onDiscoveredStores(String name, RedisEndpoint redis) throws IOException, SQLException {
        Infrastructure infra = Infrastructure.open(InfraSettings.fromEnvironment(), ROOT.resolve("system-tests/target/infra-" + name),
                System.out::println);
        PostgresEndpoint database = infra.postgres().withDatabase("systest_" + name + "_" + UUID.randomUUID().toString().replace("-", ""));
        database.ensureDatabase();
        ServiceSuite suite = new ServiceSuite(name, database, redis == null ? infra.redis() : redis);
        suite.ownInfra = infra;
        suite.ownDatabase = true;
        return suite;
    }

    /** Every instance started from now on reaches Redis and PostgreSQL through proxies of its own. */
    ServiceSuite proxied() {
        this.proxied = true;
        return this;
    }

    /** Settings every instance started from now on gets (before its own overrides). */
    ServiceSuite withEnvironment(Map<String, String> settings) {
        common.putAll(settings);
        return this;
    }

    /** The four services in start order (backends first), each with its overrides (by service name), all ready. */
    ServiceSuite startAll(Map<String, Map<String, String>> byService) throws Exception {
        try {
            for (String service : SuiteEnvironment.SERVICES) {
                start(service, byService.getOrDefault(service, Map.of()));
            }
            awaitReady();
            return this;
        } catch (Exception e) {
            try {
                close();
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

    /** The presence key prefix every service of this suite uses. */
    String prefix() {
        return prefix;
    }

    /** The Redis the services use (behind the proxies, when proxied). */
    RedisEndpoint redis() {
        return redis;
    }

    /** The database the services use (null when none). */
    PostgresEndpoint database() {
        return database;
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
        Map<String, String> env = new LinkedHashMap<>(SuiteEnvironment.forService(service, storeOf(instance, database), storeOf(instance, redis),
                ports, ROOT.resolve("system-tests/target").resolve(name)));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("PRESENCE_STORE_KEY_PREFIX", prefix);
        env.putAll(TestBudgets.forService(service));
        env.putAll(common);
        env.putAll(overrides);
        environments.put(instance, env);
        return launch(instance, service, port);
    }

    private ServiceProcess launch(String instance, String service, int port) throws IOException {
        int n = starts.merge(instance, 1, Integer::sum);
        String log = name + "-" + instance + (n == 1 ? "" : "-" + n);
        ServiceProcess process = ServiceProcess.start(ROOT, service, port, environments.get(instance), log);
        services.put(instance, process);
        return process;
    }

    /** The PostgreSQL an instance is given: the database itself, or its own proxy in front of it. */
    private PostgresEndpoint storeOf(String instance, PostgresEndpoint pg) {
        if (!proxied || pg == null) {
            return pg;
        }
        TcpProxy proxy = postgresProxies.computeIfAbsent(instance, i -> TcpProxy.to(pg.host(), pg.port()));
        return new PostgresEndpoint("127.0.0.1", proxy.port(), pg.user(), pg.password(), pg.database(), false);
    }

    /** The Redis an instance is given: the suite's, or its own proxy in front of it. */
    private RedisEndpoint storeOf(String instance, RedisEndpoint store) {
        if (!proxied) {
            return store;
        }
        TcpProxy proxy = redisProxies.computeIfAbsent(instance, i -> TcpProxy.to(store.host(), store.port()));
        return new RedisEndpoint("127.0.0.1", proxy.port(), store.password(), false);
    }

    /** A gateway instance's management port, where its metrics are. */
    int managementPort(String instance) {
        return Integer.parseInt(environments.get(instance).get("QUARKUS_MANAGEMENT_PORT"));
    }

    /** The environment an instance was started with (its settings, the service token among them). */
    Map<String, String> environment(String instance) {
        return Map.copyOf(environments.get(instance));
    }

    /** The proxy between an instance and Redis (the suite must be {@link #proxied()}). */
    TcpProxy redisProxy(String instance) {
        return redisProxies.get(instance);
    }

    /** The proxy between an instance and PostgreSQL (the suite must be {@link #proxied()}). */
    TcpProxy postgresProxy(String instance) {
        return postgresProxies.get(instance);
    }

    void awaitReady() throws InterruptedException {
        for (ServiceProcess p : services.values()) {
            p.awaitReady(READY);
        }
    }

    /** A service (or gateway instance) by the name it was started under. */
    ServiceProcess service(String instance) {
        return services.get(instance);
    }

    /** Every instance's name, in start order. */
    List<String> instances() {
        return new ArrayList<>(services.keySet());
    }

    String gateway(String path) {
        return service("gateway-service").url(path);
    }

    /** Stops an instance with SIGTERM, as a rolling update does; {@link #startAgain(String)} brings it back. */
    void stop(String instance) throws InterruptedException {
        services.get(instance).close();
    }

    /** Starts a stopped (or killed) instance again on the same port with the same settings, and waits until it is ready. */
    ServiceProcess startAgain(String instance) throws Exception {
        ServiceProcess before = services.get(instance);
        before.close();
        ServiceProcess process = launch(instance, before.service, before.port);
        process.awaitReady(READY);
        return process;
    }

    /** Stops an instance for good: it is no longer part of this suite. */
    void discard(String instance) throws InterruptedException {
        ServiceProcess process = services.remove(instance);
        if (process != null) {
            process.close();
        }
    }

    /**
     * Puts the suite back as it was started: every proxy passing traffic, every instance alive and ready (one that
     * died or was stopped is started again); answers the instances it had to start again.
     */
    List<String> heal() throws Exception {
        for (TcpProxy proxy : redisProxies.values()) {
            proxy.restore();
        }
        for (TcpProxy proxy : postgresProxies.values()) {
            proxy.restore();
        }
        List<String> restarted = new ArrayList<>();
        for (String instance : instances()) {
            ServiceProcess process = services.get(instance);
            if (process.alive()) {
                process.awaitReady(READY); // e.g. back from a cut store: it reconnects by itself
            } else {
                startAgain(instance);
                restarted.add(instance);
            }
        }
        return restarted;
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess service : services.values()) {
            service.close();
        }
        for (TcpProxy proxy : redisProxies.values()) {
            proxy.close();
        }
        for (TcpProxy proxy : postgresProxies.values()) {
            proxy.close();
        }
        if (ownDatabase) {
            database.dropDatabase();
        }
        if (ownInfra != null) {
            ownInfra.close();
        }
    }
}
