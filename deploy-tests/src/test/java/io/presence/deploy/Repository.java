package io.presence.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The repository under test: where its files are, and which module each image and each workload belongs to. */
final class Repository {

    /** The four services, by module name, with the HTTP port their application.properties sets. */
    static final List<String> SERVICES = List.of("gateway-service", "user-service", "presence-service", "message-service");

    /** Overlays every deployment test renders. */
    static final List<String> OVERLAYS = List.of("k8s/overlays/dev", "k8s/overlays/prod");

    /** Compose services that run one of our images (the stores run public images). */
    static final Map<String, String> COMPOSE_SERVICE_MODULES = Map.of(
            "gateway", "gateway-service",
            "gateway-2", "gateway-service",
            "user-service", "user-service",
            "presence-service", "presence-service",
            "message-service", "message-service");

    private Repository() {
    }

    static Path root() {
        String configured = System.getProperty("presence.repository.root");
        Path root = (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("docker-compose.yml"))) {
            fail("repository root not found at " + root + " (set -Dpresence.repository.root)");
        }
        return root;
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The module an image was built from: the last path segment of its repository, without the tag
     * ({@code registry.example.com/presence-suite/gateway-service:1.0.0} is gateway-service); null for
     * images that are not ours (postgres, redis).
     */
    static String moduleOfImage(String image) {
        String withoutDigest = image.split("@", 2)[0];
        String name = withoutDigest.substring(withoutDigest.lastIndexOf('/') + 1);
        int colon = name.indexOf(':');
        String repository = colon >= 0 ? name.substring(0, colon) : name;
        return SERVICES.contains(repository) ? repository : null;
    }
}
