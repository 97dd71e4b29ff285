package io.presence.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one service module accepts as configuration, read from its files: the keys of its application.properties,
 * of the {@code @ConfigMapping} interfaces it uses (its own and those of common/ it refers to), and the run-time
 * keys of the Quarkus extensions its pom brings. Also its HTTP port and health paths, for probe checks.
 */
final class ServiceModule {

    /** A key this service knows, as a pattern ({@code *} is one map key of any name) and where it comes from. */
    record KnownKey(String key, String source, Pattern envVar) {
    }

    private static final Map<String, ServiceModule> CACHE = new ConcurrentHashMap<>();
    private static final QuarkusConfigModel QUARKUS = new QuarkusConfigModel();
    private static final Pattern REST_CLIENT_KEY = Pattern.compile("@RegisterRestClient\\s*\\([^)]*configKey\\s*=\\s*\"([^\"]+)\"");

    final String name;
    final Path dir;
    final Properties properties;
    final Set<String> dependencies;
    final Set<String> restClientConfigKeys;
    final List<KnownKey> runtimeKeys = new ArrayList<>();
    final List<String> buildTimeKeys = new ArrayList<>();

    static ServiceModule of(String name) {
        return CACHE.computeIfAbsent(name, ServiceModule::new);
    }

    private ServiceModule(String name) {
        this.name = name;
        this.dir = Repository.file(name);
        this.properties = load(dir.resolve("src/main/resources/application.properties"));
        this.dependencies = directDependencies(dir);
        List<Path> sourceRoots = new ArrayList<>(List.of(dir.resolve("src/main/java")));
        if (dependencies.contains("io.presence:common")) {
            sourceRoots.add(Repository.file("common/src/main/java"));
        }
        String ownSource = sources(List.of(dir.resolve("src/main/java"))).map(Repository::read).collect(Collectors.joining("\n"));
        this.restClientConfigKeys = new LinkedHashSet<>();
        Matcher m = REST_CLIENT_KEY.matcher(ownSource);
        while (m.find()) {
            restClientConfigKeys.add(m.group(1));
        }

        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                runtimeKeys.add(known(key, "application.properties"));
            }
        }
        // what the service refers to: its own source, and the source of every common/ class it names (one hop: a
        // common bean such as AppRegistry reads mappings on the service's behalf)
        String usedSource = ownSource + "\n" + sources(sourceRoots).filter(file -> !file.startsWith(dir))
                .filter(file -> refersTo(ownSource, file.getFileName().toString().replace(".java", "")))
                .map(Repository::read).collect(Collectors.joining("\n"));
        sources(sourceRoots).forEach(file -> {
            ConfigMappingSource.Mapping mapping = ConfigMappingSource.parse(Repository.read(file));
            // A mapping of common/ counts only where this service refers to it: setting it elsewhere does nothing.
            if (mapping != null && (file.startsWith(dir) || refersTo(usedSource, mapping.simpleName()))) {
                mapping.keys().forEach(k -> runtimeKeys.add(known(k, "@ConfigMapping " + mapping.simpleName())));
            }
        });
        Set<String> artifacts = QUARKUS.closure(dependencies).stream().map(ga -> ga.substring(ga.indexOf(':') + 1)).collect(Collectors.toSet());
        for (QuarkusConfigModel.Key key : QUARKUS.keysOf(artifacts)) {
            for (String property : expandRestClientNames(key.property())) {
                if (key.runtime()) {
                    runtimeKeys.add(known(property, key.extension()));
                } else {
                    buildTimeKeys.add(property);
                }
            }
        }
    }

    private static boolean refersTo(String source, String simpleName) {
        return Pattern.compile("\\b" + Pattern.quote(simpleName) + "\\b").matcher(source).find();
    }

    /** Quarkus extensions (io.quarkus:*) in the service's pom (and common's) that this module has no model of. */
    List<String> extensionsWithoutModel() {
        return dependencies.stream()
                .filter(ga -> ga.startsWith("io.quarkus:quarkus-"))
                .map(ga -> ga.substring(ga.indexOf(':') + 1))
                .filter(a -> !QUARKUS.knows(a) && QUARKUS.closure(Set.of("io.quarkus:" + a)).size() <= 1)
                .toList();
    }

    boolean hasDependency(String groupAndArtifact) {
        return QUARKUS.closure(dependencies).contains(groupAndArtifact);
    }

    /** The port the service listens on without overrides (quarkus.http.port of its application.properties). */
    int httpPort() {
        return Integer.parseInt(properties.getProperty("quarkus.http.port", "8080").trim());
    }

    /**
     * The port of the service's management interface (quarkus.management.port, default 9000), where its metrics
     * are served, when its application.properties enables one.
     */
    Optional<Integer> managementPort() {
        if (!Boolean.parseBoolean(properties.getProperty("quarkus.management.enabled", "false").trim())) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(properties.getProperty("quarkus.management.port", "9000").trim()));
    }

    /** /q/health/live, /q/health/ready, /q/health/started, following any root-path overrides in application.properties. */
    Set<String> healthPaths() {
        String nonApplicationRoot = "/" + strip(properties.getProperty("quarkus.http.non-application-root-path", "q"));
        String healthRoot = properties.getProperty("quarkus.smallrye-health.root-path", "health");
        String base = healthRoot.startsWith("/") ? healthRoot : nonApplicationRoot + "/" + healthRoot;
        return Set.of(
                base + "/" + strip(properties.getProperty("quarkus.smallrye-health.liveness-path", "live")),
                base + "/" + strip(properties.getProperty("quarkus.smallrye-health.readiness-path", "ready")),
                base + "/" + strip(properties.getProperty("quarkus.smallrye-health.startup-path", "started")));
    }

    /** The run-time key this environment variable sets, if any (SmallRye: key upper-cased, other characters '_'). */
    Optional<KnownKey> keyForEnvVar(String envVar) {
        return runtimeKeys.stream().filter(k -> k.envVar().matcher(envVar).matches()).findFirst();
    }

    /**
     * A build-time key this environment variable names exactly (no map key involved): it is fixed when the image
     * is built, so setting it at run time does nothing or fails the start.
     */
    Optional<String> buildTimeKeyForEnvVar(String envVar) {
        return buildTimeKeys.stream()
                .filter(k -> !k.contains("\"") && !k.contains("*"))
                .filter(k -> envVarPattern(k).matcher(envVar).matches())
                .findFirst();
    }

    /**
     * {@code quarkus.rest-client."client".url} only for the clients this service declares (@RegisterRestClient
     * configKey), so an env var for a client the service does not have is caught.
     */
    private List<String> expandRestClientNames(String property) {
        if (!property.startsWith("quarkus.rest-client.\"")) {
            return List.of(property);
        }
        String rest = property.substring(property.indexOf('"', "quarkus.rest-client.\"".length()) + 1);
        return restClientConfigKeys.stream().map(k -> "quarkus.rest-client." + k + rest).toList();
    }

    private static KnownKey known(String key, String source) {
        return new KnownKey(key, source, envVarPattern(key));
    }

    /**
     * The env var form of a key: every character that is not a letter or digit becomes '_', letters upper case;
     * a map key of any name ({@code *}, {@code "name"} or {@code [*]} in Quarkus's model) is one or more such
     * characters.
     */
    static Pattern envVarPattern(String key) {
        StringBuilder regex = new StringBuilder();
        String normalized = key.replaceAll("\"[^\"]*\"", "*").replace("[*]", "_*_");
        for (char c : normalized.toCharArray()) {
            if (c == '*') {
                regex.append("[A-Z0-9_]+");
            } else if (Character.isLetterOrDigit(c)) {
                regex.append(Character.toUpperCase(c));
            } else {
                regex.append('_');
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static String strip(String path) {
        return path.replaceAll("^/+|/+$", "");
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static Stream<Path> sources(List<Path> roots) {
        return roots.stream().flatMap(root -> {
            try (Stream<Path> walk = Files.walk(root)) {
                return walk.filter(p -> p.toString().endsWith(".java")).toList().stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** groupId:artifactId of the run-time dependencies of a module's pom, with those of sibling modules it uses. */
    private static Set<String> directDependencies(Path module) {
        Set<String> result = new LinkedHashSet<>();
        try (InputStream in = Files.newInputStream(module.resolve("pom.xml"))) {
            for (String ga : QuarkusConfigModel.PomDependencies.runtime(in, "io.presence")) {
                result.add(ga);
                if (ga.startsWith("io.presence:")) {
                    result.addAll(directDependencies(Repository.file(ga.substring(ga.indexOf(':') + 1))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
