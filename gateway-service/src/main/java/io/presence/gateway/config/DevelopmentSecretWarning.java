package io.presence.gateway.config;

import io.presence.common.pusher.PusherConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Says loudly at start-up when the gateway runs with the development app secret. */
@ApplicationScoped
public class DevelopmentSecretWarning {

    private static final Logger LOG = Logger.getLogger(DevelopmentSecretWarning.class);

    void start(@Observes StartupEvent event, PusherConfig pusher) {
        if (pusher.usesDevelopmentSecret()) {
            LOG.warnf("running with the development app secret '%s': anyone can sign subscriptions; set PUSHER_SECRET",
                    PusherConfig.DEVELOPMENT_SECRET);
        }
    }
}
