package io.presence.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each service's Dockerfile packages its Quarkus fast-jar on a JRE as a non-root user with container-aware
 * memory. (No image is built here: there is no Docker engine on this machine; see docs/deploy.md.)
 */
class DockerfileTest {

    static final List<String> SERVICES = Repository.SERVICES;

    @ParameterizedTest
    @FieldSource("SERVICES")
    void imageRunsTheFastJarAsNonRoot(String service) {
        String dockerfile = Repository.read(Repository.file(service + "/src/main/docker/Dockerfile.jvm"));
        ServiceModule module = ServiceModule.of(service);
        assertTrue(dockerfile.matches("(?s).*\\nFROM [^\\n]*(jre|openjdk-17-runtime)[^\\n]*\\n.*"), service + ": a JRE base image");
        assertTrue(dockerfile.matches("(?s).*\\nUSER 1000\\d:1000\\d\\n.*"), service + ": a numeric non-root user, so runAsNonRoot can be verified");
        assertTrue(dockerfile.contains("EXPOSE " + module.httpPort() + "\n"), service + ": exposes quarkus.http.port");
        for (String layer : List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/", "target/quarkus-app/quarkus/")) {
            assertTrue(dockerfile.contains("COPY --chown=10001:10001 " + layer), service + ": copies the fast-jar layer " + layer);
        }
        String options = Repository.read(Repository.file(service + "/src/main/jvm/jvm.options")); // what the image runs (JvmOptionsTest)
        assertTrue(options.contains("-XX:MaxRAMPercentage="), service + ": heap sized from the container limit");
        assertTrue(dockerfile.contains("exec java $JAVA_OPTS $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar"), service + ": java is PID 1");
        String jarType = module.properties.getProperty("quarkus.package.jar.type", "fast-jar");
        assertEquals("fast-jar", jarType, service + " is packaged as the fast-jar the image copies");
        String ignore = Repository.read(Repository.file(service + "/.dockerignore"));
        assertTrue(ignore.contains("!target/quarkus-app"), service + ": the build context sends the fast-jar");
    }
}
