package io.presence.gateway.ws;

import io.presence.common.app.App;
import io.presence.common.app.AppRegistry;
import io.presence.gateway.protocol.CloseCode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What a change in the app store does to this gateway's sockets: a changed app (new secret, new limits) is seen by
 * its connections at once; a disabled app's sockets close with 4003, a deleted app's with 4001 (Pusher's codes: the
 * client does not reconnect).
 */
@ApplicationScoped
public class AppLifecycle {

    private final AppRegistry apps;
    private final Connections connections;

    public AppLifecycle(AppRegistry apps, Connections connections) {
        this.apps = apps;
        this.connections = connections;
    }

    void start(@Observes StartupEvent event) {
        apps.onChange(this::changed);
    }

    void changed(App before, App after) {
        if (before == null) {
            return;
        }
        if (after == null) {
            closeAll(before.id(), new CloseReason(CloseCode.UNKNOWN_APP.code(), "application deleted"));
        } else if (!after.enabled()) {
            closeAll(after.id(), new CloseReason(CloseCode.APP_DISABLED.code(), "application disabled"));
        } else {
            connections.ofApp(after.id()).forEach(c -> c.app(after));
        }
    }

    private void closeAll(String appId, CloseReason reason) {
        for (ClientConnection c : connections.ofApp(appId)) {
            c.close(reason).subscribe().with(ok -> { }, err -> { });
        }
    }
}
