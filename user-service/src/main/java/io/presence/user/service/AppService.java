package io.presence.user.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.app.App;
import io.presence.common.app.AppRegistry;
import io.presence.common.app.AppsConfig;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.user.repository.AppRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Objects;

/**
 * The app store's operations (the internal app API): every change commits with the store's version counted up and is
 * then published to every service ({@link AppStoreSync}). Apps of the configuration keep what the configuration sets
 * (key, secret, webhooks, encryption key) and cannot be deleted: start-up would bring them back.
 */
@ApplicationScoped
public class AppService {

    private final AppRepository apps;
    private final AppStoreSync sync;
    private final AppRegistry registry;
    private final AppsConfig config;

    public AppService(AppRepository apps, AppStoreSync sync, AppRegistry registry, AppsConfig config) {
        this.apps = apps;
        this.sync = sync;
        this.registry = registry;
        this.config = config;
    }

    /** Every app, oldest first. */
    @Transactional
    public List<App> list() {
        return apps.all();
    }

    /** The app with this id, or 404. */
    @Transactional
    public App get(String id) {
        return apps.find(id, false).orElseThrow(() -> notFound(id));
    }

    /** Creates an app from soketi-style JSON; key and secret are generated when not given. */
    @Transactional
    public App create(JsonNode body) {
        App app = AppFields.apply(null, body);
        switch (apps.insert(app)) {
            case ID_TAKEN -> throw new ProblemException(ProblemType.CONFLICT, "an app with id " + app.id() + " exists");
            case KEY_TAKEN -> throw new ProblemException(ProblemType.CONFLICT, "another app has the key " + app.key());
            default -> sync.changed();
        }
        return app;
    }

    /** Changes the fields {@code body} names; an unchanged app keeps the store's version. */
    @Transactional
    public App patch(String id, JsonNode body) {
        App before = apps.find(id, true).orElseThrow(() -> notFound(id));
        App after = AppFields.apply(before, body);
        if (after.equals(before)) {
            return before;
        }
        if (configured(id)) {
            requireSame("key", before.key(), after.key());
            requireSame("secret", before.secret(), after.secret());
            requireSame("webhooks", before.webhooks(), after.webhooks());
            requireSame("encryptionMasterKey", before.encryptionMasterKey(), after.encryptionMasterKey());
        }
        if (!after.key().equals(before.key()) && apps.keyTaken(after.key(), id)) {
            throw new ProblemException(ProblemType.CONFLICT, "another app has the key " + after.key());
        }
        update(after);
        return after;
    }

    /** Deletes an app: its sockets are closed (4001) and its API calls refused (404) as each gateway hears of it. */
    @Transactional
    public void delete(String id) {
        if (configured(id)) {
            throw new ProblemException(ProblemType.CONFLICT, "app " + id + " comes from the configuration (PUSHER_*) and would be"
                    + " created again at the next start: remove it there, or disable it");
        }
        if (!apps.delete(id)) {
            throw notFound(id);
        }
        sync.changed();
    }

    /** A new secret for the app; the one before stays accepted for {@code apps.secret-grace-period}. */
    @Transactional
    public App rotateSecret(String id) {
        App before = apps.find(id, true).orElseThrow(() -> notFound(id));
        if (configured(id)) {
            throw new ProblemException(ProblemType.CONFLICT, "the secret of app " + id + " comes from the configuration"
                    + " (PUSHER_SECRET, PUSHER_EXTRA_APPS): change it there; the old one stays accepted for the grace period");
        }
        App after = new App(before.id(), before.key(), Secrets.secret(), before.secret(),
                System.currentTimeMillis() + config.secretGracePeriod().toMillis(), before.enabled(), before.limits(),
                before.webhooks(), before.encryptionMasterKey(), before.presenceVisibility());
        update(after);
        return after;
    }

    private void update(App app) {
        if (apps.update(app) != AppRepository.Outcome.DONE) {
            throw new ProblemException(ProblemType.CONFLICT, "another app has the key " + app.key());
        }
        sync.changed();
    }

    private boolean configured(String id) {
        return registry.configured().stream().anyMatch(a -> a.id().equals(id));
    }

    private static void requireSame(String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            throw new ProblemException(ProblemType.CONFLICT, field + " of this app comes from the configuration (PUSHER_*):"
                    + " change it there");
        }
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(ProblemType.NOT_FOUND, "no app " + id);
    }
}
