package io.presence.user;

import io.presence.testsupport.LayerRules;
import org.junit.jupiter.api.Test;

/** The layers of user-service point down only (see {@link LayerRules}). */
class LayerRulesTest {

    @Test
    void layersPointDown() {
        LayerRules.check("io.presence.user", "rest", "view", "mapping", "service", "repository", "model", "client", "config");
    }
}
