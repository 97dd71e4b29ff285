package io.presence.message;

import io.presence.testsupport.LayerRules;
import org.junit.jupiter.api.Test;

/** The layers of message-service point down only (see {@link LayerRules}). */
class LayerRulesTest {

    @Test
    void layersPointDown() {
        LayerRules.check("io.presence.message", "rest", "view", "mapping", "service", "repository", "model", "client", "config");
    }
}
