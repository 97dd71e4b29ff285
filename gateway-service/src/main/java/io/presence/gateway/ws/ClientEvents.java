package io.presence.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.app.AppLimits;
import io.presence.common.app.AppMeters;
import io.presence.common.event.ChannelEvent;
import io.presence.common.presence.PresenceStore;
import io.presence.common.presence.StatusChange;
import io.presence.common.presence.StatusVisibility;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.pusher.Channels;
import io.presence.common.pusher.Webhooks;
import io.presence.common.store.MemberState;
import io.presence.common.store.UserStatus;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.WebhookQueue;
import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.events.Broker;
import io.presence.gateway.protocol.CloseCode;
import io.presence.gateway.protocol.Frames;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * Client events ({@code client-*}): only on private and presence channels the sender has joined (not encrypted ones,
 * as Pusher), rate-limited per socket (by the app's maxClientEventsPerSecond, and by the gateway's
 * client-event-limit whatever the app allows; every client- frame counts, valid or not), reported to the app's client_event webhook, never
 * back to the sending socket, and visible as their sender is: not to users the sender blocked or who blocked the
 * sender, and not to anyone else while the sender is invisible. A {@code client-status-update} on a presence
 * channel also stores the sender's status (announced as {@code pusher:member_updated}) once the client event is published.
 */
@ApplicationScoped
public class ClientEvents {

    private static final Logger LOG = Logger.getLogger(ClientEvents.class);
    private static final String STATUS_UPDATE = "client-status-update";

    private final Broker broker;
    private final WebhookQueue webhooks;
    private final PresenceStore presence;
    private final UserPresenceStore users;
    private final Frames frames;
    private final AppMeters meters;
    private final GatewayConfig.Websocket socketLimits;
    private final ConnectionMetrics metrics;

    public ClientEvents(Broker broker, WebhookQueue webhooks, PresenceStore presence, UserPresenceStore users, Frames frames,
                        AppMeters meters, GatewayConfig config, ConnectionMetrics metrics) {
        this.broker = broker;
        this.webhooks = webhooks;
        this.presence = presence;
        this.users = users;
        this.frames = frames;
        this.meters = meters;
        this.socketLimits = config.websocket();
        this.metrics = metrics;
    }

    void handle(ClientConnection connection, String event, JsonNode frame) {
        AppLimits limits = connection.app().limits();
        String appId = connection.app().id();
        long now = System.nanoTime();
        int perSecond = limits.maxClientEventsPerSecond();
        if (!connection.budgets().takeAppClientEvent(perSecond, now)) {
            meters.refused(appId, "maxClientEventsPerSecond");
            connection.send(frames.error(CloseCode.CLIENT_EVENT_RATE_LIMIT.code(), "client event rejected: more than "
                    + perSecond + " per second"));
            return;
        }
        if (!connection.budgets().takeClientEvent(socketLimits.clientEventLimit(), socketLimits.clientEventPer(), now)) {
            metrics.refused("clientEventLimit");
            connection.send(frames.error(CloseCode.CLIENT_EVENT_RATE_LIMIT.code(), "client event rejected: more than "
                    + socketLimits.clientEventLimit() + " per " + socketLimits.clientEventPer().toMillis() + " ms"));
            return;
        }
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
        if (!limits.enableClientMessages()) {
            meters.refused(appId, "enableClientMessages");
            connection.send(frames.error(null, "client events are not enabled for this app"));
            return;
        }
        if (!AppLimits.within(event.length(), limits.maxEventNameLength())) {
            meters.refused(appId, "maxEventNameLength");
            connection.send(frames.error(CloseCode.CLIENT_EVENT_RATE_LIMIT.code(), "client event rejected: event name longer than "
                    + limits.maxEventNameLength() + " characters"));
            return;
        }
        JsonNode data = frame.get("data");
        String payload = data == null ? "{}" : data.isTextual() ? data.asText() : data.toString();
        if (!AppLimits.withinKb(payload.getBytes(StandardCharsets.UTF_8).length, limits.maxEventPayloadInKb())) {
            meters.refused(appId, "maxEventPayloadInKb");
            connection.send(frames.error(CloseCode.CLIENT_EVENT_RATE_LIMIT.code(), "client event rejected: data larger than "
                    + AppLimits.bytesOf(limits.maxEventPayloadInKb()) + " bytes"));
            return;
        }
        String presenceUser = connection.presenceUser(channel);
        String sender = connection.identity(channel);
        MemberState self = connection.self(sender);
        boolean unseen = self != null && StatusVisibility.hides(self.status());
        StatusChange change = null;
        if (presenceUser != null && STATUS_UPDATE.equals(event)) {
            change = statusChange(connection, payload);
            if (change == null) {
                return;
            }
            // going invisible is not announced: to everyone else the user simply leaves
            unseen |= StatusVisibility.hides(change.applyTo(self != null ? self.status() : UserStatus.DEFAULT));
        }
        ChannelEvent clientEvent = ChannelEvent.client(event, payload, presenceUser, connection.socketId(), sender, unseen,
                connection.blockersOf(sender));
        if (webhooks.wanted(appId, Webhooks.CLIENT_EVENT)) {
            webhooks.send(Webhook.clientEvent(appId, channel, event, payload, connection.socketId(), presenceUser));
        }
        StatusChange status = change;
        // the status is stored only once the client event is published, so that everyone gets the client event
        // before the pusher:member_updated it causes (both are numbered in the channel's order)
        broker.publish(appId, channel, clientEvent).subscribe().with(seq -> {
            meters.events(appId, "client", 1);
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
        String appId = connection.app().id();
        users.status(appId, user)
                .chain(current -> presence.setStatus(appId, user, change.applyTo(current), null))
                .subscribe().with(told -> { }, err -> connection.send(frames.error(null, "status not saved, retry")));
    }
}
