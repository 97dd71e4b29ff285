package io.presence.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * The layer rules every service keeps (packages by layer, as quarkus-super-heroes): REST depends on services, services
 * on repositories and the model, never the other way; mapping is used by REST only; outbound clients know neither
 * services nor REST. A layer a service does not have is simply not checked.
 */
public final class LayerRules {

    private LayerRules() {
    }

    /** Checks the main classes below {@code rootPackage} (e.g. {@code io.presence.user}); fails listing every violation. */
    public static void check(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        rules(rootPackage).check(classes);
    }

    /** All rules for the service below {@code rootPackage}, as one. */
    public static ArchRule rules(String rootPackage) {
        return CompositeArchRule.of(mustNotUse(rootPackage, "service", "rest", "mapping"))
                .and(mustNotUse(rootPackage, "repository", "service", "rest", "mapping"))
                .and(mustNotUse(rootPackage, "model", "service", "rest", "mapping"))
                .and(mustNotUse(rootPackage, "client", "service", "rest"))
                .and(mustNotUse(rootPackage, "mapping", "service"));
    }

    private static ArchRule mustNotUse(String root, String layer, String... above) {
        String[] packages = new String[above.length];
        for (int i = 0; i < above.length; i++) {
            packages[i] = root + "." + above[i] + "..";
        }
        return noClasses().that().resideInAPackage(root + "." + layer + "..")
                .should().dependOnClassesThat().resideInAnyPackage(packages)
                .because("layers point down: rest -> service -> repository/model, mapping for rest only, clients know no layer above them")
                .allowEmptyShould(true);
    }
}
