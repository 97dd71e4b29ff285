package io.presence.gateway.ws;

import io.presence.common.event.ControlCommand;
import io.presence.gateway.events.EventSubscriber;
import io.presence.gateway.protocol.CloseCode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The commands every gateway receives on the control channel: close a user's connections, reload a user's blockers. */
@ApplicationScoped
public class ControlCommands {

    private final EventSubscriber subscriber;
    private final Connections connections;
    private final Blocks blocks;

    public ControlCommands(EventSubscriber subscriber, Connections connections, Blocks blocks) {
        this.subscriber = subscriber;
        this.connections = connections;
        this.blocks = blocks;
    }

    void start(@Observes StartupEvent event) {
        subscriber.onCommand(this::handle);
        subscriber.onRestored(blocks::refreshAll);
    }

    void handle(ControlCommand command) {
        if (command instanceof ControlCommand.BlocksChanged changed) {
            blocks.refresh(changed.userId());
        } else if (command instanceof ControlCommand.TerminateConnections terminate) {
            CloseReason terminated = new CloseReason(CloseCode.UNAUTHORIZED.code(), "connections terminated by the server");
            for (ClientConnection c : connections.signedIn(terminate.appId(), terminate.userId())) {
                c.close(terminated).subscribe().with(ok -> { }, err -> { });
            }
        }
    }
}
