package io.presence.presence.service;

import io.presence.common.app.AppRegistry;
import io.presence.common.presence.LegacyUserKeys;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Moves the user keys of the layout before apps were tenants ({@link LegacyUserKeys}) soon after start-up, and again
 * every 5 minutes ({@link Passes}) while any are left, so what gateways of the previous version write during a rolling
 * upgrade is moved too.
 */
@ApplicationScoped
public class LegacyKeysMigration {

    private final LegacyUserKeys keys;
    private final AppRegistry apps;
    private volatile boolean done;

    public LegacyKeysMigration(LegacyUserKeys keys, AppRegistry apps) {
        this.keys = keys;
        this.apps = apps;
    }

    /** One pass; none once a pass found no key of the previous layout left. */
    void migrate() {
        if (!done) {
            done = keys.migrate(apps.mainId()).found() == 0;
        }
    }
}
