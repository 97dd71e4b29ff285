package io.presence.common.app;

import io.presence.common.event.StreamRetention;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Stream retention from the app store: an app keeps {@code maxStoredEventsPerChannel} events per channel, each for its
 * resume window (at least {@link #MIN_AGE}, what gap repair needs even where resume is off); an app the store does not
 * know gets the deployment defaults.
 */
@ApplicationScoped
public class AppRetention implements StreamRetention {

    /** Shortest time an event is kept, whatever the resume window: gap repair reads back the last seconds. */
    static final Duration MIN_AGE = Duration.ofMinutes(2);

    private final AppRegistry apps;
    private final AppLimits defaults;

    public AppRetention(AppRegistry apps, AppsConfig config) {
        this.apps = apps;
        this.defaults = config.defaults().limits();
    }

    @Override
    public Retention of(String appId) {
        AppLimits limits = apps.byId(appId).map(App::limits).orElse(defaults);
        int maxEvents = limits.maxStoredEventsPerChannel() == null ? defaults.maxStoredEventsPerChannel() : limits.maxStoredEventsPerChannel();
        int window = limits.resumeWindowSeconds() == null ? defaults.resumeWindowSeconds() : limits.resumeWindowSeconds();
        Duration age = Duration.ofSeconds(Math.max(0, window));
        return new Retention(Math.max(1, maxEvents), age.compareTo(MIN_AGE) < 0 ? MIN_AGE : age);
    }
}
