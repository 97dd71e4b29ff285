package io.presence.gateway.node;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Names at start, in one log line, the transport the sockets run on: native epoll, or NIO and why not epoll. */
@ApplicationScoped
public class NetworkTransport {

    private static final Logger LOG = Logger.getLogger(NetworkTransport.class);

    private final Vertx vertx;

    public NetworkTransport(Vertx vertx) {
        this.vertx = vertx;
    }

    /** "epoll" where Vert.x runs on the native transport, else "nio". */
    public String name() {
        return vertx.isNativeTransportEnabled() ? "epoll" : "nio";
    }

    void start(@Observes StartupEvent event) {
        if (vertx.isNativeTransportEnabled()) {
            LOG.info("network transport: native epoll");
        } else {
            Throwable cause = vertx.unavailableNativeTransportCause();
            LOG.infof("network transport: NIO (native epoll not in use: %s)",
                    cause == null ? "not preferred" : cause.toString());
        }
    }
}
