package io.presence.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each service's JVM options live in one file, {@code <service>/src/main/jvm/jvm.options}: its image, {@code ./suite
 * up} and the gateway's benchmark run it, and neither the Kubernetes manifests nor docker-compose.yml replace it.
 */
class JvmOptionsTest {

    static final List<String> SERVICES = Repository.SERVICES;
    static final List<String> OVERLAYS = Repository.OVERLAYS;
    static final String FILE = "/src/main/jvm/jvm.options";

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theImageRunsTheOptionsFile(String service) {
        String dockerfile = Repository.read(Repository.file(service + "/src/main/docker/Dockerfile.jvm"));
        assertTrue(dockerfile.contains("COPY --chown=10001:10001 src/main/jvm/jvm.options /deployments/jvm.options\n"), service + ": the image holds the file");
        assertTrue(dockerfile.contains("ENV JAVA_OPTS=\"@/deployments/jvm.options\""), service + ": java reads it as its argument file");
        String ignore = Repository.read(Repository.file(service + "/.dockerignore"));
        assertTrue(ignore.contains("\n!src/main/jvm/jvm.options\n"), service + ": the build context sends it");
    }

    @Test
    void theSuiteAndTheBenchmarkRunTheOptionsFile() {
        String suite = Repository.read(Repository.file("suite"));
        assertTrue(suite.contains("exec java \"@$ROOT/$svc" + FILE + "\" "), "./suite up starts each service with its file");
        String bench = Repository.read(Repository.file("system-tests/bench-vs-soketi.sh"));
        assertTrue(bench.contains("JAVA_OPTS=\"@$ROOT/gateway-service" + FILE + " "), "the benchmark starts the gateway with its file");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kubernetesDoesNotReplaceTheImagesOptions(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> names = new ArrayList<>();
        for (Manifests.ServiceContainer sc : m.serviceContainers()) {
            names.addAll(m.envNames(sc.container()));
        }
        assertTrue(names.size() > 10, overlay + ": env vars were found");
        assertFalse(names.contains("JAVA_OPTS"), overlay + " sets JAVA_OPTS, which replaces the image's jvm.options");
    }

    @Test
    void composeDoesNotReplaceTheImagesOptions() {
        JsonNode services = Compose.rendered().path("services");
        for (String name : Repository.COMPOSE_SERVICE_MODULES.keySet()) {
            JsonNode service = services.path(name);
            assertFalse(service.isMissingNode(), "compose has service " + name);
            assertFalse(Compose.environment(service).containsKey("JAVA_OPTS"), "compose " + name + " sets JAVA_OPTS, which replaces the image's jvm.options");
        }
    }

    /** The file is a valid java argument file: the JVM starts with it, and in a 768 MiB pod the heap is 576 MiB. */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void theJvmStartsWithTheFile(String service) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "@" + Repository.file(service + FILE), "-XX:MaxRAM=768m",
                "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), service + ": " + out);
        assertTrue(out.matches("(?s).*\\n\\s*size_t MaxHeapSize\\s+= 603979776 .*"), service + ": 75 % of 768 MiB");
    }
}
