package io.presence.common.event;

import java.util.List;

/** A command for every gateway, not tied to a channel. */
public sealed interface ControlCommand {

    /** Close every connection signed in as the user (Pusher's terminate_connections). */
    record TerminateConnections(String appId, String userId) implements ControlCommand {
    }

    /**
     * Close these sockets of an app (socket ids as Pusher gives them): the sockets a login session authorized, when
     * the session ends (logout, logout everywhere, password change, account deletion).
     */
    record CloseSockets(String appId, List<String> socketIds) implements ControlCommand {

        public CloseSockets {
            socketIds = List.copyOf(socketIds);
        }
    }

    /** The set of users who blocked this user changed: gateways reload it and correct what the user sees. */
    record BlocksChanged(String userId) implements ControlCommand {
    }

    /**
     * A resumable client reconnected while its previous socket still looked open: the gateway holding that socket
     * records what it acknowledged and closes it, so the new socket resumes from there.
     */
    record ResumeTakeover(String appId, String clientId, String socketId) implements ControlCommand {
    }

    /** The app store changed (version): every service reads it again. */
    record AppsChanged(long version) implements ControlCommand {
    }
}
