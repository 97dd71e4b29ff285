package io.presence.gateway;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.presence.testsupport.LayerRules;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own layers point down: the endpoints (sockets, HTTP API, console, proxy) use the hub, the hub uses
 * the bus, the node (its id, lease and subscription counts), frames and configuration, and nothing below knows what is
 * above it. (The service layer rules of {@code LayerRules} do not apply: the gateway has no rest/service/repository
 * packages.)
 */
class LayerRulesTest {

    @Test
    void endpointsOverTheHubOverTheBus() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.presence.gateway");
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Endpoints").definedBy("io.presence.gateway.ws..", "io.presence.gateway.api..",
                        "io.presence.gateway.console..", "io.presence.gateway.proxy..")
                .layer("Hub").definedBy("io.presence.gateway.hub..")
                .layer("Below").definedBy("io.presence.gateway.events..", "io.presence.gateway.node..",
                        "io.presence.gateway.protocol..", "io.presence.gateway.config..", "io.presence.gateway.resume..")
                .whereLayer("Endpoints").mayNotBeAccessedByAnyLayer()
                .whereLayer("Hub").mayOnlyBeAccessedByLayers("Endpoints")
                .whereLayer("Below").mayOnlyBeAccessedByLayers("Endpoints", "Hub")
                .check(classes);
    }

    @Test
    void packagesAndInjectionsWithoutCycles() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.presence.gateway");
        LayerRules.freeOfCycles("io.presence.gateway").check(classes);
        LayerRules.noInjectionCycles("io.presence.gateway").check(classes);
    }
}
