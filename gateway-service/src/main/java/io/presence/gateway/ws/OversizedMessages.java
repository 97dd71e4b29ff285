package io.presence.gateway.ws;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Closes a connection whose client sent a message over {@code quarkus.websockets-next.server.max-message-size}
 * with 1009 ("message too big") and a reason a client can show, where the endpoint would otherwise close with a bare
 * 1011. Vert.x reports such a message as an IllegalStateException before turning it into text, so nothing of it is
 * decoded. A global error handler: it applies to every endpoint that has no handler of its own for the exception.
 */
@ApplicationScoped
public class OversizedMessages {

    private static final Logger LOG = Logger.getLogger(OversizedMessages.class);
    static final int MESSAGE_TOO_BIG = 1009;

    @OnError
    public Uni<Void> close(IllegalStateException e, WebSocketConnection connection) {
        if (isOversized(e)) {
            LOG.debugf("closing %s: %s", connection.id(), e.getMessage());
            return connection.close(new CloseReason(MESSAGE_TOO_BIG, "message larger than the server accepts"));
        }
        // as the default strategy for unhandled failures does
        LOG.errorf(e, "unhandled error on WebSocket connection %s", connection.id());
        return connection.close(CloseReason.INTERNAL_SERVER_ERROR);
    }

    /** Vert.x's frame aggregator names this overflow only in its message. */
    static boolean isOversized(IllegalStateException e) {
        return String.valueOf(e.getMessage()).contains("max message size");
    }
}
