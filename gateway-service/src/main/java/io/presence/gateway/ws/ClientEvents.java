package io.presence.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventPublisher;
import io.presence.common.presence.ChannelPresence;
import io.presence.common.presence.MemberState;
import io.presence.common.presence.Status;
import io.presence.common.presence.StatusChange;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.pusher.Channels;
import io.presence.common.pusher.Webhooks;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.WebhookQueue;
import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.protocol.CloseCode;
import io.presence.gateway.protocol.Frames;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Client events ({@code client-*}): only on private and presence channels the sender has joined (not encrypted ones,
 * as Pusher), rate-limited, reported to the app's client_event webhook, never
 * back to the sending socket, and visible as their sender is: not to users the sender blocked or who blocked the
 * sender, and not to anyone else while the sender is invisible. A {@code client-status-update} on a presence
 * channel also stores the sender's status (announced as {@code pusher:member_updated}) once the client event is published.
 */
@ApplicationScoped
public class ClientEvents {

    private static final Logger LOG = Logger.getLogger(ClientEvents.class);
    private static final String STATUS_UPDATE = "client-status-update";

    private final EventPublisher publisher;
    private final WebhookQueue webhooks;
    private final ChannelPresence presence;
    private final UserPresenceStore users;
    private final Frames frames;
    private final GatewayConfig.Websocket limits;

    public ClientEvents(EventPublisher publisher, WebhookQueue webhooks, ChannelPresence presence, UserPresenceStore users, Frames frames,
                        GatewayConfig config) {
        this.publisher = publisher;
        this.webhooks = webhooks;
        this.presence = presence;
        this.users = users;
        this.frames = frames;
        this.limits = config.websocket();
    }

    void handle(ClientConnection connection, String event, JsonNode frame) {
        String channel = frame.path("channel").asText("");
        if (!(Channels.isPrivate(channel) || Channels.isPresence(channel))) {
            connection.send(frames.error(null, "client events are only allowed on private and presence channels"));
            return;
        }
        if (Channels.isEncrypted(channel)) {
            connection.send(frames.error(null, "client events are not supported on encrypted channels"));
            return;
        }
        if (!connection.isSubscribed(channel)) {
            connection.send(frames.error(null, "subscribe to " + channel + " before sending client events on it"));
            return;
        }
        if (!connection.allowClientEvent(limits.clientEventsPerSecond(), System.nanoTime())) {
            connection.send(frames.error(CloseCode.CLIENT_EVENT_RATE_LIMIT.code(), "client event rejected: more than "
                    + limits.clientEventsPerSecond() + " per second"));
            return;
        }
        JsonNode data = frame.get("data");
        String payload = data == null ? "{}" : data.isTextual() ? data.asText() : data.toString();
        String presenceUser = connection.presenceUser(channel);
        String sender = connection.identity(channel);
        MemberState self = connection.self(sender);
        boolean unseen = self != null && self.invisible();
        StatusChange change = null;
        if (presenceUser != null && STATUS_UPDATE.equals(event)) {
            change = statusChange(connection, payload);
            if (change == null) {
                return;
            }
            // going invisible is not announced: to everyone else the user simply leaves
            unseen |= change.status() == Status.INVISIBLE;
        }
        ChannelEvent clientEvent = ChannelEvent.client(event, payload, presenceUser, connection.socketId(), sender, unseen,
                connection.blockersOf(sender));
        String appId = connection.app().id();
        if (webhooks.wanted(appId, Webhooks.CLIENT_EVENT)) {
            webhooks.send(Webhook.clientEvent(appId, channel, event, payload, connection.socketId(), presenceUser));
        }
        StatusChange status = change;
        // the status is stored only once the client event is published, so that everyone gets the client event
        // before the pusher:member_updated it causes (both are numbered in the channel's order)
        publisher.publish(appId, channel, clientEvent).subscribe().with(seq -> {
            if (status != null) {
                storeStatus(connection, presenceUser, status);
            }
        }, error -> {
            LOG.debugf("client event on %s not published: %s", channel, error.toString());
            connection.send(frames.error(null, "client event not delivered" + (status != null ? " and status not saved" : "")
                    + ": the event bus is busy, retry"));
        });
    }

    /** The status change a {@code client-status-update} asks for, or null after answering an error. */
    private StatusChange statusChange(ClientConnection connection, String payload) {
        try {
            return StatusChange.parse(frames.json().readTree(payload), System.currentTimeMillis());
        } catch (StatusChange.Invalid e) {
            connection.send(frames.error(null, "client-status-update refused: " + e.getMessage()));
        } catch (Exception e) {
            connection.send(frames.error(null, "client-status-update refused: data must be a JSON object"));
        }
        return null;
    }

    private void storeStatus(ClientConnection connection, String user, StatusChange change) {
        users.status(user)
                .chain(current -> presence.setStatus(user, change.applyTo(current), null))
                .subscribe().with(told -> { }, err -> connection.send(frames.error(null, "status not saved, retry")));
    }
}
