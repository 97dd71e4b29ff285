package io.presence.common.app;

import io.presence.common.pusher.PusherApp;
import io.presence.common.pusher.PusherConfig;
import io.presence.common.pusher.Webhooks;
import io.presence.common.schedule.RepeatingTask;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Every service's local copy of the app store: lookups by id and key are map reads, never a call. It starts with the
 * apps of the configuration (PUSHER_APP_*, PUSHER_EXTRA_APPS) and, once user-service has published the store to Redis
 * ({@link AppSnapshot}), follows the store: a version check every {@link AppsConfig#reloadInterval()} (half a second)
 * brings each change, and a gateway reads at once on the change notice of the control channel ({@link #reloadNow()}). When Redis is unreachable or lost its
 * data, the last copy stays in use. Listeners hear of every app that appeared, changed or went.
 */
@ApplicationScoped
@Startup
public class AppRegistry {

    private static final Logger LOG = Logger.getLogger(AppRegistry.class);

    /** The apps in use, with their limits' defaults filled in. */
    private record Directory(long version, Map<String, App> byId, Map<String, App> byKey) {
    }

    private final Redis redis;
    private final PresenceSchema schema;
    private final AppsConfig config;
    private final String mainAppId;
    private final List<App> configured;
    private final List<BiConsumer<App, App>> listeners = new CopyOnWriteArrayList<>();
    private volatile Directory directory;
    private RepeatingTask reloading;

    public AppRegistry(Redis redis, PresenceStoreConfig store, AppsConfig config, PusherConfig pusher) {
        this.redis = redis;
        this.schema = store.schema();
        this.config = config;
        this.mainAppId = pusher.appId();
        this.configured = configuredApps(pusher);
        this.directory = directoryOf(-1, configured);
    }

    @PostConstruct
    void start() {
        reload();
        reloading = RepeatingTask.start("app-registry", config.reloadInterval(), config.reloadInterval(), this::reload);
    }

    void stop(@Observes ShutdownEvent event) {
        if (reloading != null) {
            reloading.close();
        }
    }

    /** The app with this id, when it exists (enabled or not). */
    public Optional<App> byId(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(directory.byId().get(id));
    }

    /** The app with this key, when it exists (enabled or not). */
    public Optional<App> byKey(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(directory.byKey().get(key));
    }

    /** Every app, in the order of the store. */
    public Collection<App> all() {
        return directory.byId().values();
    }

    /** The built-in app (PUSHER_APP_ID): the one user-service signs for and the page's users belong to. */
    public App main() {
        App app = directory.byId().get(mainAppId);
        return app != null ? app : configured.get(0).withDefaults(config.defaults().limits());
    }

    /** The built-in app's id. */
    public String mainId() {
        return mainAppId;
    }

    /** The apps the configuration names, as they are created or updated in the store at start-up. */
    public List<App> configured() {
        return configured;
    }

    /** The store version in use (-1: the configuration's apps, the store not yet published). */
    public long version() {
        return directory.version();
    }

    /** Hears of every app that appeared (before null), changed, or went (after null). */
    public void onChange(BiConsumer<App, App> listener) {
        listeners.add(listener);
    }

    /** Reads the store again soon, off the caller's thread (a change notice arrived). */
    public void reloadNow() {
        if (reloading != null) {
            reloading.runNow();
        }
    }

    /** Reads the store's snapshot when its version differs from the one in use, and installs it. */
    public void reload() {
        try {
            Optional<Long> stored = AppSnapshot.storedVersion(redis, schema).await().atMost(Duration.ofSeconds(3));
            if (stored.isEmpty() || stored.get() == directory.version()) {
                return;
            }
            AppSnapshot.read(redis, schema).await().atMost(Duration.ofSeconds(3)).ifPresent(this::install);
        } catch (RuntimeException e) {
            LOG.debugf("app store not read (keeping %d apps of version %d): %s", directory.byId().size(), directory.version(), e.toString());
        }
    }

    /** Puts a snapshot in use and tells the listeners what changed. */
    synchronized void install(AppSnapshot snapshot) {
        Directory before = directory;
        if (snapshot.version() == before.version()) {
            return;
        }
        Directory after = directoryOf(snapshot.version(), snapshot.apps());
        directory = after;
        LOG.debugf("apps of store version %d in use: %s", after.version(), after.byId().keySet());
        for (App old : before.byId().values()) {
            App now = after.byId().get(old.id());
            if (!Objects.equals(old, now)) {
                notifyListeners(old, now);
            }
        }
        for (App now : after.byId().values()) {
            if (!before.byId().containsKey(now.id())) {
                notifyListeners(null, now);
            }
        }
    }

    private void notifyListeners(App before, App after) {
        for (BiConsumer<App, App> listener : listeners) {
            try {
                listener.accept(before, after);
            } catch (RuntimeException e) {
                LOG.errorf(e, "an app change listener failed");
            }
        }
    }

    private Directory directoryOf(long version, List<App> apps) {
        AppLimits defaults = config.defaults().limits();
        Map<String, App> byId = new LinkedHashMap<>();
        Map<String, App> byKey = new HashMap<>();
        for (App app : apps) {
            App filled = app.withDefaults(defaults);
            byId.put(app.id(), filled);
            byKey.put(app.key(), filled);
        }
        return new Directory(version, Collections.unmodifiableMap(byId), Map.copyOf(byKey));
    }

    /** The apps of the configuration: the main app first, then PUSHER_EXTRA_APPS, each with its pusher.app settings. */
    public static List<App> configuredApps(PusherConfig pusher) {
        List<App> apps = new ArrayList<>();
        for (PusherApp app : pusher.apps()) {
            Webhooks webhooks = pusher.webhooks(app.id());
            List<AppWebhook> receivers = webhooks.urls().stream()
                    .map(url -> new AppWebhook(url, webhooks.events().equals(Webhooks.KINDS) ? null : webhooks.events())).toList();
            String encryption = pusher.encryptionMasterKey(app.id()).map(k -> Base64.getEncoder().encodeToString(k)).orElse(null);
            // the main app's users are the page's, whose presence only contacts see unless configured; further apps keep everyone
            String visibility = app.id().equals(pusher.appId()) ? mainVisibility(pusher) : null;
            apps.add(new App(app.id(), app.key(), app.secret(), null, null, true, AppLimits.DEFAULTS, receivers, encryption, visibility));
        }
        return List.copyOf(apps);
    }

    private static String mainVisibility(PusherConfig pusher) {
        String visibility = pusher.presenceVisibility();
        if (!App.VISIBILITY_CONTACTS.equals(visibility) && !App.VISIBILITY_EVERYONE.equals(visibility)) {
            throw new IllegalArgumentException("pusher.presence-visibility (PUSHER_PRESENCE_VISIBILITY) must be contacts or everyone, not '"
                    + visibility + "'");
        }
        return visibility;
    }
}
