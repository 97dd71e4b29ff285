package io.presence.systemtest;

import io.presence.infra.InfraSettings;
import io.presence.infra.Infrastructure;
import io.presence.infra.PostgresEndpoint;
import io.presence.infra.SuiteEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The four packaged services as processes for one test class: on the discovered stores, with a database and a
 * presence key prefix of their own, logs named {@code <name>-<service>.log}. Closing stops them and drops the database.
 */
final class ServiceSuite implements AutoCloseable {

    private final Path root;
    private final String name;
    private final Infrastructure infra;
    private final PostgresEndpoint database;
    private final SuiteEnvironment.Ports ports;
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

    private ServiceSuite(Path root, String name, Infrastructure infra, PostgresEndpoint database, SuiteEnvironment.Ports ports) {
        this.root = root;
        this.name = name;
        this.infra = infra;
        this.database = database;
        this.ports = ports;
    }

    /** Starts the services on free ports and waits until each is ready; on failure stops what it started. */
    static ServiceSuite start(Path root, String name) throws Exception {
        Infrastructure infra = Infrastructure.open(InfraSettings.fromEnvironment(), root.resolve("system-tests/target/infra-" + name),
                System.out::println);
        PostgresEndpoint database = infra.postgres().withDatabase("systest_" + name + "_" + UUID.randomUUID().toString().replace("-", ""));
        database.ensureDatabase();
        SuiteEnvironment.Ports ports = new SuiteEnvironment.Ports(Infrastructure.freePort(), Infrastructure.freePort(),
                Infrastructure.freePort(), Infrastructure.freePort());
        ServiceSuite suite = new ServiceSuite(root, name, infra, database, ports);
        try {
            String presencePrefix = "systest-" + name + "-" + UUID.randomUUID();
            for (String service : SuiteEnvironment.SERVICES) {
                Map<String, String> env = new LinkedHashMap<>(SuiteEnvironment.forService(service, database, infra.redis(), ports,
                        root.resolve("system-tests/target")));
                env.put("PRESENCE_STORE_KEY_PREFIX", presencePrefix);
                suite.environments.put(service, env);
                suite.services.put(service, ServiceProcess.start(root, service, ports.of(service), env, name + "-" + service));
            }
            for (ServiceProcess service : suite.services.values()) {
                service.awaitReady(Duration.ofSeconds(90));
            }
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

    ServiceProcess service(String service) {
        return services.get(service);
    }

    String gateway(String path) {
        return service("gateway-service").url(path);
    }

    /** Stops a service with SIGTERM, as a rolling update does. */
    void stop(String service) throws InterruptedException {
        services.get(service).close();
    }

    /** Starts a stopped service again on the same port with the same settings; its log is {@code <name>-<instance>.log}. */
    ServiceProcess startAgain(String service, String instance) throws Exception {
        ServiceProcess again = ServiceProcess.start(root, service, ports.of(service), environments.get(service),
                name + "-" + instance);
        services.put(service, again);
        again.awaitReady(Duration.ofSeconds(90));
        return again;
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess service : services.values()) {
            service.close();
        }
        database.dropDatabase();
        infra.close();
    }
}
