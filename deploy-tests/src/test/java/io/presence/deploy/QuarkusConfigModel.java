package io.presence.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Quarkus's own configuration keys, read from the model every extension jar carries
 * ({@code META-INF/quarkus-config-doc/quarkus-config-model.json}, the source of Quarkus's config reference): each
 * key, whether it lives in a map ({@code quarkus.rest-client."client".url}) and its phase. Which extensions a
 * service has is the transitive closure of its pom's dependencies, followed through the pom every jar embeds, so
 * no Maven resolver and no build of the service is needed.
 */
final class QuarkusConfigModel {

    /** A key of one extension; {@code runtime} is false for keys fixed at build time, which env vars cannot change. */
    record Key(String property, boolean runtime, String extension) {
    }

    private static final String MODEL = "META-INF/quarkus-config-doc/quarkus-config-model.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Extension artifactId to its keys, over every extension on this module's test classpath. */
    private final Map<String, List<Key>> keysByExtension = new HashMap<>();

    QuarkusConfigModel() {
        try {
            Enumeration<URL> models = getClass().getClassLoader().getResources(MODEL);
            for (URL url : Collections.list(models)) {
                try (InputStream in = url.openStream()) {
                    for (JsonNode root : JSON.readTree(in).path("configRoots")) {
                        String extension = root.path("extension").path("artifactId").asText();
                        collect(root.path("items"), keysByExtension.computeIfAbsent(extension, e -> new ArrayList<>()), extension);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(JsonNode items, List<Key> into, String extension) {
        for (JsonNode item : items) {
            if (item.path("@class").asText().endsWith("ConfigProperty")) {
                boolean runtime = "RUN_TIME".equals(item.path("phase").asText());
                into.add(new Key(item.path("path").path("property").asText(), runtime, extension));
                for (JsonNode extra : item.path("additionalPaths")) {
                    into.add(new Key(extra.path("property").asText(), runtime, extension));
                }
            }
            collect(item.path("items"), into, extension);
        }
    }

    /** True when some jar on the classpath describes this extension's configuration. */
    boolean knows(String artifactId) {
        return keysByExtension.containsKey(artifactId);
    }

    /** Every Quarkus key of the given artifacts (extension artifactIds; others contribute nothing). */
    List<Key> keysOf(Set<String> artifactIds) {
        List<Key> keys = new ArrayList<>();
        for (String artifactId : artifactIds) {
            keys.addAll(keysByExtension.getOrDefault(artifactId, List.of()));
        }
        return keys;
    }

    /**
     * groupId:artifactId of everything the given dependencies bring at run time, themselves included, followed
     * through the pom.xml each jar embeds; artifacts not on this classpath end the walk there.
     */
    Set<String> closure(Set<String> dependencies) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(dependencies);
        while (!todo.isEmpty()) {
            String ga = todo.pop();
            if (seen.add(ga)) {
                todo.addAll(runtimeDependenciesOf(ga));
            }
        }
        return seen;
    }

    private List<String> runtimeDependenciesOf(String ga) {
        String[] parts = ga.split(":");
        URL pom = getClass().getClassLoader().getResource("META-INF/maven/" + parts[0] + "/" + parts[1] + "/pom.xml");
        if (pom == null) {
            return List.of();
        }
        try (InputStream in = pom.openStream()) {
            return PomDependencies.runtime(in, parts[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dependencies of a pom that reach run time: not test, not provided, not optional. */
    static final class PomDependencies {

        private static final Pattern PROPERTY = Pattern.compile("\\$\\{project\\.groupId}|\\$\\{pom\\.groupId}");

        private PomDependencies() {
        }

        static List<String> runtime(InputStream pom, String ownGroupId) {
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                Element project = factory.newDocumentBuilder().parse(pom).getDocumentElement();
                List<String> result = new ArrayList<>();
                Element dependencies = child(project, "dependencies");
                if (dependencies == null) {
                    return result;
                }
                NodeList list = dependencies.getChildNodes();
                for (int i = 0; i < list.getLength(); i++) {
                    if (list.item(i) instanceof Element dependency && dependency.getTagName().equals("dependency")) {
                        String scope = text(dependency, "scope", "compile");
                        if (scope.equals("test") || scope.equals("provided") || text(dependency, "optional", "false").equals("true")) {
                            continue;
                        }
                        String groupId = PROPERTY.matcher(text(dependency, "groupId", "")).replaceAll(Matcher.quoteReplacement(ownGroupId));
                        result.add(groupId + ":" + text(dependency, "artifactId", ""));
                    }
                }
                return result;
            } catch (Exception e) {
                throw new IllegalStateException("cannot read pom: " + e, e);
            }
        }

        private static Element child(Element parent, String name) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    return e;
                }
            }
            return null;
        }

        private static String text(Element parent, String name, String fallback) {
            Element e = child(parent, name);
            return e == null ? fallback : e.getTextContent().trim();
        }
    }
}
