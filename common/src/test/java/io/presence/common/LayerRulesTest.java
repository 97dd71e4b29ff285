package io.presence.common;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages of common form no cycle: {@code store} (the Redis layout and stored values) and the leaf packages sit
 * below {@code event}, {@code webhook} and {@code presence}. The rule of test-support's {@code LayerRules.freeOfCycles},
 * written here because test-support depends on common.
 */
class LayerRulesTest {

    @Test
    void packagesWithoutCycles() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.presence.common");
        slices().matching("io.presence.common.(*)..").should().beFreeOfCycles().allowEmptyShould(false).check(classes);
    }
}
