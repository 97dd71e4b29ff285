package io.presence.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker-compose.yml as Compose resolves it (with the second-gateway profile), read once. */
final class Compose {

    private static JsonNode rendered;

    private Compose() {
    }

    static synchronized JsonNode rendered() {
        if (rendered == null) {
            rendered = Manifests.documents(Tools.composeConfig()).get(0);
        }
        return rendered;
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
