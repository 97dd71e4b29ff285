package io.presence.terminal;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The terminal client's packages (api, chat, realtime, ui) form no cycle, as every module's do: the chat commands
 * use the API, the realtime connection and the screen, and none of those knows the commands.
 */
class LayerRulesTest {

    @Test
    void packagesWithoutCycles() {
        slices().matching("io.presence.terminal.(*)..").should().beFreeOfCycles().allowEmptyShould(false)
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.presence.terminal"));
    }
}
