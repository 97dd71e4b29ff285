package io.presence.gateway.ws;

import io.presence.common.app.AppRegistry;
import io.presence.common.event.ControlCommand;
import io.presence.gateway.events.Broker;
import io.presence.gateway.protocol.CloseCode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * The commands every gateway receives on the control channel: close a user's connections, close the sockets of an
 * ended login session, reload a user's blockers, read the app store again, record and close a resumable socket a newer
 * one of its client took over.
 */
@ApplicationScoped
public class ControlCommands {

    private final Broker broker;
    private final Connections connections;
    private final Blocks blocks;
    private final AppRegistry apps;
    private final Resumption resumption;

    public ControlCommands(Broker broker, Connections connections, Blocks blocks, AppRegistry apps, Resumption resumption) {
        this.resumption = resumption;
        this.broker = broker;
        this.connections = connections;
        this.blocks = blocks;
        this.apps = apps;
    }

    void start(@Observes StartupEvent event) {
        broker.onCommand(this::handle);
        broker.onRestored(blocks::refreshAll);
    }

    void handle(ControlCommand command) {
        if (command instanceof ControlCommand.AppsChanged) {
            apps.reloadNow();
        } else if (command instanceof ControlCommand.BlocksChanged changed) {
            blocks.refresh(apps.mainId(), changed.userId()); // user-service's blocks: built-in app users
        } else if (command instanceof ControlCommand.TerminateConnections terminate) {
            close(connections.signedIn(terminate.appId(), terminate.userId()), "connections terminated by the server");
        } else if (command instanceof ControlCommand.ResumeTakeover takeover) {
            resumption.takeover(takeover);
        } else if (command instanceof ControlCommand.CloseSockets sockets) {
            close(connections.withSocketIds(sockets.appId(), sockets.socketIds()), "the login session ended: log in again");
        }
    }

    /**
     * Closes with 4009 "unauthorized": pusher-js and pusher-java-client do not reconnect on 4000-4099, so a client
     * whose session ended stays disconnected instead of reconnecting in a loop with credentials that no longer work.
     * The close runs the normal leave path (PusherSocket's close): members see member_removed, webhooks go out.
     */
    private static void close(List<ClientConnection> closing, String why) {
        CloseReason reason = new CloseReason(CloseCode.UNAUTHORIZED.code(), why);
        for (ClientConnection c : closing) {
            c.close(reason).subscribe().with(ok -> { }, err -> { });
        }
    }
}
