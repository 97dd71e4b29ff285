package io.presence.gateway.ws;

import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.SocketException;
import org.jboss.logging.Logger;

/**
 * A client that went away while the gateway still read or wrote (connection reset): the socket is closed already and
 * its close handled as any other, so it is logged at debug level, where websockets-next would log every one as an
 * error with its stack trace (hundreds of them a second when a flood of sockets is cut off). A global error handler.
 */
@ApplicationScoped
public class ClientResets {

    private static final Logger LOG = Logger.getLogger(ClientResets.class);

    @OnError
    public void reset(SocketException e, WebSocketConnection connection) {
        LOG.debugf("connection %s reset: %s", connection.id(), e.getMessage());
    }
}
