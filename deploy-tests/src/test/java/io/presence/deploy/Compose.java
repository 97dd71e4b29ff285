package io.presence.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker-compose.yml as Compose resolves it (with the second-gateway profile and the secrets .env.example asks for), read once. */
final class Compose {

    private static JsonNode rendered;

    private Compose() {
    }

    static synchronized JsonNode rendered() {
        if (rendered == null) {
            rendered = Manifests.documents(Tools.run(Tools.composeCommand(envFile(List.of()).toString()))).get(0);
        }
        return rendered;
    }

    /** The secrets .env.example asks for (its variables without a value). */
    static List<String> secrets() {
        try {
            return Files.readAllLines(Repository.file(".env.example")).stream()
                    .filter(line -> line.matches("[A-Z_]+=\\s*")).map(line -> line.substring(0, line.indexOf('='))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value an env file of {@link #envFile} gives a secret: its own, so a test can tell which went where. */
    static String valueOf(String secret) {
        return "test-" + secret.toLowerCase(java.util.Locale.ROOT) + "-0123456789abcdef0123456789abcdef";
    }

    /** A temporary env file giving every secret of .env.example a value ({@link #valueOf}), except those left out. */
    static Path envFile(List<String> leftOut) {
        try {
            Path env = Files.createTempFile("compose", ".env");
            env.toFile().deleteOnExit();
            Files.write(env, secrets().stream().filter(s -> !leftOut.contains(s)).map(s -> s + "=" + valueOf(s)).toList());
            return env;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A service's environment, whether Compose printed it as a map or as a NAME=value list. */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        } else {
            for (JsonNode item : node) {
                String[] kv = item.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
        }
        return env;
    }

    /** A string or a list of strings (health check tests, commands) as a list. */
    static List<String> strings(JsonNode node) {
        List<String> result = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> result.add(n.asText()));
        } else if (!node.isMissingNode()) {
            result.add(node.asText());
        }
        return result;
    }
}
