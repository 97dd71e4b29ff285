package io.presence.presence;

import io.presence.testsupport.LayerRules;
import org.junit.jupiter.api.Test;

/** The layers of presence-service point down only (see {@link LayerRules}). */
class LayerRulesTest {

    @Test
    void layersPointDown() {
        LayerRules.check("io.presence.presence", "rest", "service", "webhook", "client");
    }
}
