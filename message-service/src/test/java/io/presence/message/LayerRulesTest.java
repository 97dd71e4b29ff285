package io.presence.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Layers point one way (rest -> service -> repository -> model): no import goes back up (issue #14). */
class LayerRulesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/presence/message");
    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "service", List.of("rest", "mapping"),
            "repository", List.of("rest", "mapping", "service"),
            "model", List.of("rest", "mapping", "service", "repository"));

    @Test
    void noLayerImportsTheOnesAboveIt() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<String>> layer : FORBIDDEN.entrySet()) {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(layer.getKey()))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    for (String line : Files.readAllLines(file)) {
                        for (String above : layer.getValue()) {
                            if (line.startsWith("import io.presence.message." + above + ".")) {
                                violations.add(SOURCES.relativize(file) + ": " + line);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
