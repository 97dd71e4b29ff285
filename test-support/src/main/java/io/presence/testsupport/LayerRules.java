package io.presence.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layer rules every service keeps (packages by layer, as quarkus-super-heroes): rest -> service -> repository,
 * with no shortcut and never back; {@code view} holds the records REST sends and receives, {@code mapping} turns the
 * model into views for REST, clients and configuration know no layer above them; the packages have no cycles. A
 * service names the layers it has, and each named layer must hold classes, so a renamed package fails. No class
 * takes, directly or through others, an instance of itself in its constructor or an injected field.
 */
public final class LayerRules {

    /** Each layer a service may have, and the layers it must not use. */
    private static final Map<String, List<String>> MUST_NOT_USE = Map.of(
            "rest", List.of("repository"),
            "view", List.of("rest", "mapping", "service", "repository", "client"),
            "mapping", List.of("rest", "service", "repository", "client"),
            "service", List.of("rest", "mapping", "view"),
            "webhook", List.of("rest", "mapping", "view"),
            "repository", List.of("rest", "mapping", "view", "service", "client"),
            "model", List.of("rest", "mapping", "view", "service", "repository", "client"),
            "client", List.of("rest", "mapping", "view", "service", "repository"),
            "config", List.of("rest", "mapping", "view", "service", "repository", "client"));

    private LayerRules() {
    }

    /**
     * Checks the main classes below {@code rootPackage} (e.g. {@code io.presence.user}), whose packages are exactly
     * {@code layers} (e.g. "rest", "service", "repository"); fails listing every violation.
     */
    public static void check(String rootPackage, String... layers) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        rules(rootPackage, layers).check(classes);
    }

    /** All rules for the service below {@code rootPackage} with these layers, as one. */
    public static ArchRule rules(String rootPackage, String... layers) {
        List<String> known = List.of(layers);
        List<String> packages = new ArrayList<>(List.of(rootPackage));
        CompositeArchRule rule = CompositeArchRule.of(freeOfCycles(rootPackage)).and(noInjectionCycles(rootPackage));
        for (String layer : known) {
            List<String> forbidden = MUST_NOT_USE.get(layer);
            if (forbidden == null) {
                throw new IllegalArgumentException("unknown layer " + layer + "; known: " + MUST_NOT_USE.keySet());
            }
            packages.add(rootPackage + "." + layer + "..");
            rule = rule.and(mustNotUse(rootPackage, layer, forbidden));
        }
        return rule.and(classes().should().resideInAnyPackage(packages.toArray(String[]::new))
                .because("every package of " + rootPackage + " is a layer these rules know: " + known)
                .allowEmptyShould(false));
    }

    /** The packages just below {@code rootPackage} do not depend on each other in a cycle. */
    public static ArchRule freeOfCycles(String rootPackage) {
        return slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles().allowEmptyShould(false);
    }

    /**
     * No class below {@code rootPackage} is handed (constructor parameter or {@code @Inject} field) an object that is,
     * directly or through others, handed one of it: beans that inject each other are one job in two places.
     */
    public static ArchRule noInjectionCycles(String rootPackage) {
        return classes().that().resideInAPackage(rootPackage + "..")
                .should(new ArchCondition<>("not inject each other, directly or in a cycle") {
                    @Override
                    public void check(JavaClass start, ConditionEvents events) {
                        List<JavaClass> cycle = cycleFrom(start, start, new ArrayList<>(List.of(start)), new LinkedHashSet<>(), rootPackage);
                        if (cycle != null) {
                            events.add(SimpleConditionEvent.violated(start, "injection cycle: "
                                    + String.join(" -> ", cycle.stream().map(JavaClass::getSimpleName).toList())));
                        }
                    }
                })
                .allowEmptyShould(false);
    }

    /** A path of injections from {@code at} back to {@code start}, or null. */
    private static List<JavaClass> cycleFrom(JavaClass start, JavaClass at, List<JavaClass> path, Set<JavaClass> seen, String root) {
        for (JavaClass next : injected(at, root)) {
            if (next.equals(start)) {
                List<JavaClass> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<JavaClass> found = cycleFrom(start, next, path, seen, root);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }

    /** The classes of the module that {@code c} is handed: its constructors' parameters and its injected fields. */
    private static Set<JavaClass> injected(JavaClass c, String root) {
        Set<JavaClass> handed = new LinkedHashSet<>();
        for (JavaConstructor constructor : c.getConstructors()) {
            handed.addAll(constructor.getRawParameterTypes());
        }
        for (JavaField field : c.getFields()) {
            if (field.isAnnotatedWith("jakarta.inject.Inject")) {
                handed.add(field.getRawType());
            }
        }
        handed.removeIf(type -> !type.getPackageName().startsWith(root) || type.equals(c));
        return handed;
    }

    private static ArchRule mustNotUse(String root, String layer, List<String> below) {
        String[] packages = below.stream().map(p -> root + "." + p + "..").toArray(String[]::new);
        return noClasses().that().resideInAPackage(root + "." + layer + "..")
                .should().dependOnClassesThat().resideInAnyPackage(packages)
                .because("layers point down: rest -> service -> repository/model with no shortcut, views and mapping"
                        + " for rest only, clients and configuration know no layer above them " + Arrays.toString(packages))
                .allowEmptyShould(false);
    }
}
