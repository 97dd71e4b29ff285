package io.presence.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Compose and Kubernetes wire each service the way the service itself is built: its probes hit health endpoints
 * it has on the port it listens on, and every environment variable they set names a configuration key it reads.
 */
class ServiceWiringTest {

    static final List<String> OVERLAYS = Repository.OVERLAYS;
    static final List<String> SERVICES = Repository.SERVICES;

    /** Variables the image's entrypoint reads (Dockerfile.jvm), not Quarkus. */
    static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS", "JAVA_OPTS_APPEND");

    @ParameterizedTest
    @FieldSource("SERVICES")
    void everyServiceKnowsItsOwnKeysAndQuarkusKeys(String service) {
        ServiceModule module = ServiceModule.of(service);
        assertEquals(List.of(), module.extensionsWithoutModel(), service + ": add these extensions to deploy-tests/pom.xml");
        assertTrue(module.hasDependency("io.quarkus:quarkus-smallrye-health"), service + " has SmallRye Health");
        for (String env : List.of("QUARKUS_HTTP_PORT", "QUARKUS_REDIS_HOSTS", "QUARKUS_SHUTDOWN_DELAY", "QUARKUS_LOG_LEVEL")) {
            assertTrue(module.keyForEnvVar(env).isPresent(), service + " knows " + env);
        }
        assertTrue(module.keyForEnvVar("QUARKUS_HTTP_PORTS").isEmpty(), "near misses are not keys");
        assertTrue(module.buildTimeKeyForEnvVar("QUARKUS_HTTP_ROOT_PATH").isPresent(), "build-time keys are recognised as such");
        // Build-time keys documented only in deployment jars are not run-time keys either.
        assertTrue(check(service, "QUARKUS_SMALLRYE_HEALTH_ROOT_PATH", service).isPresent(), "the health root is fixed at build time");
    }

    @Test
    void keysComeFromConfigMappingsOfTheServiceAndTheCommonOnesItUses() {
        ServiceModule gateway = ServiceModule.of("gateway-service");
        assertTrue(gateway.keyForEnvVar("GATEWAY_BACKENDS_USER_SERVICE").isPresent());
        assertTrue(gateway.keyForEnvVar("APPS_DEFAULTS_MAX_PRESENCE_MEMBERS_PER_CHANNEL").isPresent());
        assertTrue(gateway.keyForEnvVar("PUSHER_SECRET").isPresent());
        assertTrue(gateway.keyForEnvVar("PRESENCE_STORE_LEASE_TTL").isPresent());
        assertTrue(ServiceModule.of("user-service").keyForEnvVar("USERS_LOGIN_FAILURE_WINDOW").isPresent());
        assertTrue(ServiceModule.of("user-service").keyForEnvVar("QUARKUS_REST_CLIENT_MESSAGE_SERVICE_URL").isPresent());
        assertTrue(ServiceModule.of("user-service").keyForEnvVar("QUARKUS_DATASOURCE_JDBC_URL").isPresent());
        assertTrue(ServiceModule.of("presence-service").keyForEnvVar("PRESENCE_STORE_REAPER_INTERVAL").isPresent());
        assertTrue(ServiceModule.of("message-service").keyForEnvVar("MESSAGES_ROOMS_LIST_LIMIT").isPresent());
        // Not theirs: message-service has no gateway backends, presence-service no datasource, the gateway no REST client.
        assertTrue(ServiceModule.of("message-service").keyForEnvVar("GATEWAY_BACKENDS_USER_SERVICE").isEmpty());
        assertTrue(ServiceModule.of("presence-service").keyForEnvVar("QUARKUS_DATASOURCE_JDBC_URL").isEmpty());
        assertTrue(ServiceModule.of("gateway-service").keyForEnvVar("QUARKUS_REST_CLIENT_MESSAGE_SERVICE_URL").isEmpty());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kubernetesProbesHitHealthEndpointsOnTheServicePort(String overlay) {
        Manifests m = Manifests.of(overlay);
        int checked = 0;
        for (Manifests.ServiceContainer sc : m.serviceContainers()) {
            Manifests.Workload w = sc.workload();
            Container c = sc.container();
            String module = sc.module();
            {
                ServiceModule service = ServiceModule.of(module);
                List<ContainerPort> ports = c.getPorts();
                assertEquals(service.managementPort().isPresent() ? 2 : 1, ports.size(),
                        w.name() + " exposes its HTTP port, and its management port if it has one");
                assertEquals(service.httpPort(), ports.get(0).getContainerPort(), w.name() + ": containerPort is quarkus.http.port of " + module);
                service.managementPort().ifPresent(management -> assertEquals(management, ports.get(1).getContainerPort(),
                        w.name() + ": the second containerPort is quarkus.management.port of " + module));
                // Prometheus scrapes where the metrics are: the management port when there is one
                String scrapePort = w.template().getMetadata().getAnnotations().get("prometheus.io/port");
                assertEquals(String.valueOf(service.managementPort().orElse(service.httpPort())), scrapePort,
                        w.name() + ": prometheus.io/port names the port /q/metrics is served on");
                Map<String, Probe> probes = new LinkedHashMap<>();
                probes.put("startup", c.getStartupProbe());
                probes.put("liveness", c.getLivenessProbe());
                probes.put("readiness", c.getReadinessProbe());
                Map<String, String> expected = Map.of("startup", "started", "liveness", "live", "readiness", "ready");
                for (var probe : probes.entrySet()) {
                    HTTPGetAction get = probe.getValue().getHttpGet();
                    assertNotNull(get, w.name() + " " + probe.getKey() + " probe is an HTTP GET");
                    assertTrue(service.healthPaths().contains(get.getPath()), w.name() + " " + probe.getKey() + " path " + get.getPath() + " is one of " + service.healthPaths());
                    assertTrue(get.getPath().endsWith("/" + expected.get(probe.getKey())), w.name() + " " + probe.getKey() + " uses the " + expected.get(probe.getKey()) + " check");
                    ContainerPort port = KubernetesManifestsTest.containerPort(w, get.getPort());
                    assertNotNull(port, w.name() + " " + probe.getKey() + " probe port " + get.getPort() + " is a container port");
                    assertEquals(service.httpPort(), port.getContainerPort());
                }
                checked++;
            }
        }
        assertEquals(4, checked, overlay + " runs the four services");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kubernetesEnvVarsAreRealConfigKeys(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Manifests.ServiceContainer sc : m.serviceContainers()) {
            Manifests.Workload w = sc.workload();
            Container c = sc.container();
            String module = sc.module();
            for (String name : m.envNames(c)) {
                check(module, name, overlay + " " + w.name()).ifPresent(problems::add);
                checked++;
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked > 10, "env vars were found to check");
    }

    @Test
    void composeEnvVarsAreRealConfigKeysAndHealthChecksHitTheServicePort() {
        JsonNode services = Compose.rendered().path("services");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (var entry : Repository.COMPOSE_SERVICE_MODULES.entrySet()) {
            JsonNode service = services.path(entry.getKey());
            assertFalse(service.isMissingNode(), "compose has service " + entry.getKey());
            assertEquals(entry.getValue(), Repository.moduleOfImage(service.path("image").asText()), entry.getKey() + " image");
            ServiceModule module = ServiceModule.of(entry.getValue());
            for (Iterator<String> names = Compose.environment(service).keySet().iterator(); names.hasNext(); ) {
                check(entry.getValue(), names.next(), "compose " + entry.getKey()).ifPresent(problems::add);
                checked++;
            }
            String test = String.join(" ", Compose.strings(service.path("healthcheck").path("test")));
            String readiness = module.healthPaths().stream().filter(p -> p.endsWith("/ready")).findFirst().orElseThrow();
            assertTrue(test.contains("http://localhost:" + module.httpPort() + readiness), entry.getKey() + " health check hits " + readiness + " on " + module.httpPort() + ": " + test);
        }
        assertEquals(List.of(), problems);
        assertTrue(checked > 10, "env vars were found to check");
    }

    /**
     * The services with /internal endpoints (issue 17, item 5), which call each other's with one shared token, and the
     * gateway, whose console app API calls user-service's /internal/apps.
     */
    static final List<String> INTERNAL_TOKEN_USERS = List.of("user-service", "message-service", "gateway-service");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kubernetesGivesTheServiceTokenFromOneSecretToTheServicesThatUseIt(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> secrets = new ArrayList<>();
        for (Manifests.ServiceContainer sc : m.serviceContainers()) {
            EnvVar token = Stream.ofNullable(sc.container().getEnv()).flatMap(List::stream)
                    .filter(e -> e.getName().equals("INTERNAL_TOKEN")).findFirst().orElse(null);
            if (!INTERNAL_TOKEN_USERS.contains(sc.module())) {
                assertEquals(null, token, sc.workload().name() + " has no use for the service token");
                continue;
            }
            assertNotNull(token, sc.workload().name() + " gets INTERNAL_TOKEN");
            assertNotNull(token.getValueFrom().getSecretKeyRef(), sc.workload().name() + ": INTERNAL_TOKEN from a Secret");
            assertFalse(Boolean.TRUE.equals(token.getValueFrom().getSecretKeyRef().getOptional()), "the token is not optional");
            secrets.add(token.getValueFrom().getSecretKeyRef().getName() + "/" + token.getValueFrom().getSecretKeyRef().getKey());
        }
        assertEquals(INTERNAL_TOKEN_USERS.size(), secrets.size(), overlay + ": " + secrets);
        assertEquals(1, secrets.stream().distinct().count(), "one shared Secret key: " + secrets);
    }

    /**
     * The secrets each service refuses to start without outside the dev profile (common's InsecureDefaults): the app
     * secret where subscriptions are signed or checked, the console password in the gateway, the service token.
     */
    static final Map<String, List<String>> REQUIRED_SECRETS = Map.of(
            "gateway-service", List.of("PUSHER_SECRET", "PRESENCE_CONSOLE_PASSWORD", "INTERNAL_TOKEN"),
            "user-service", List.of("PUSHER_SECRET", "INTERNAL_TOKEN"),
            "presence-service", List.of("PUSHER_SECRET"),
            "message-service", List.of("INTERNAL_TOKEN"));

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kubernetesGivesEveryServiceTheSecretsItCannotStartWithoutAndDevAloneRunsTheDevProfile(String overlay) {
        // issue 26, point 1
        Manifests m = Manifests.of(overlay);
        for (Manifests.ServiceContainer sc : m.serviceContainers()) {
            Map<String, EnvVar> env = new java.util.HashMap<>();
            Stream.ofNullable(sc.container().getEnv()).flatMap(List::stream).forEach(e -> env.put(e.getName(), e));
            for (String name : REQUIRED_SECRETS.get(sc.module())) {
                EnvVar secret = env.get(name);
                assertNotNull(secret, sc.workload().name() + " gets " + name);
                assertNotNull(secret.getValueFrom().getSecretKeyRef(), sc.workload().name() + ": " + name + " from a Secret");
                assertFalse(Boolean.TRUE.equals(secret.getValueFrom().getSecretKeyRef().getOptional()), name + " is not optional");
            }
            EnvVar profile = env.get("QUARKUS_PROFILE");
            assertEquals(overlay.endsWith("dev") ? "dev" : null, profile == null ? null : profile.getValue(),
                    sc.workload().name() + ": the development secrets are allowed in the dev overlay only");
        }
    }

    @Test
    void composeGivesTheServiceTokenToTheServicesThatUseIt() {
        JsonNode services = Compose.rendered().path("services");
        for (var entry : Repository.COMPOSE_SERVICE_MODULES.entrySet()) {
            Map<String, String> env = Compose.environment(services.path(entry.getKey()));
            assertEquals(INTERNAL_TOKEN_USERS.contains(entry.getValue()), env.containsKey("INTERNAL_TOKEN"), entry.getKey());
        }
        assertEquals(Compose.environment(services.path("user-service")).get("INTERNAL_TOKEN"),
                Compose.environment(services.path("message-service")).get("INTERNAL_TOKEN"), "one shared token");
    }

    @Test
    void theCheckRejectsWhatIsNotAKey() {
        assertTrue(check("message-service", "QUARKUS_REST_CLIENT_MESSAGE_SERVICE_URL", "x").isPresent(),
                "a REST client the service does not declare is not configuration");
        assertTrue(check("gateway-service", "GATEWAY_BACKEND_USER_SERVICE", "x").isPresent(), "a typo is caught");
        assertTrue(check("user-service", "QUARKUS_DATASOURCE_DB_KIND", "x").orElseThrow().contains("build time"),
                "a build-time key cannot be set on a built image");
        assertTrue(check("gateway-service", "JAVA_OPTS_APPEND", "x").isEmpty(), "the image's own variables are allowed");
    }

    /** Why this variable is not configuration of the module, or empty when it is. */
    static java.util.Optional<String> check(String module, String envVar, String where) {
        if (IMAGE_VARIABLES.contains(envVar)) {
            String dockerfile = Repository.read(Repository.file(module + "/src/main/docker/Dockerfile.jvm"));
            return dockerfile.contains("$" + envVar) ? java.util.Optional.empty()
                    : java.util.Optional.of(where + ": " + envVar + " is not read by the image's entrypoint");
        }
        ServiceModule service = ServiceModule.of(module);
        var buildTime = service.buildTimeKeyForEnvVar(envVar);
        if (buildTime.isPresent()) {
            return java.util.Optional.of(where + ": " + envVar + " sets " + buildTime.get() + ", fixed at build time");
        }
        if (service.keyForEnvVar(envVar).isEmpty()) {
            return java.util.Optional.of(where + ": " + envVar + " is no run-time configuration key of " + module);
        }
        return java.util.Optional.empty();
    }
}
