package io.presence.common.event;

/** A command for every gateway, not tied to a channel. */
public sealed interface ControlCommand {

    /** Close every connection signed in as the user (Pusher's terminate_connections). */
    record TerminateConnections(String appId, String userId) implements ControlCommand {
    }

    /** The set of users who blocked this user changed: gateways reload it and correct what the user sees. */
    record BlocksChanged(String userId) implements ControlCommand {
    }
}
