package io.presence.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.app.AppMeters;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.pusher.Channels;
import io.presence.common.pusher.PusherApp;
import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.hub.Hub;
import io.presence.gateway.hub.LocalChannel;
import io.presence.gateway.node.Occupancy;
import io.presence.gateway.protocol.CloseCode;
import io.presence.gateway.protocol.Frames;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * {@code pusher:subscribe} and {@code pusher:unsubscribe}: channel names, limits and signatures checked here for every
 * kind of channel; public and private channels are subscribed here, presence channels by {@link PresenceMembership}.
 * Each socket's subscribe and unsubscribe frames have a budget (subscribe-limit per subscribe-per; over it: pusher:error
 * 4301). A subscription that cannot be completed in time is answered with a 503 subscription error, never left hanging.
 */
@ApplicationScoped
public class Subscriptions {

    private static final Logger LOG = Logger.getLogger(Subscriptions.class);
    /** Longest wait for a subscription (bus confirmation, store) before the client is told to retry. */
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);

    private final Hub hub;
    private final Occupancy occupancy;
    private final PresenceMembership presence;
    private final Frames frames;
    private final GatewayConfig.Websocket limits;
    private final Vertx vertx;
    private final ConnectionMetrics metrics;
    private final AppMeters meters;

    public Subscriptions(Hub hub, Occupancy occupancy, PresenceMembership presence, Frames frames, GatewayConfig config, Vertx vertx,
                         ConnectionMetrics metrics, AppMeters meters) {
        this.hub = hub;
        this.occupancy = occupancy;
        this.presence = presence;
        this.frames = frames;
        this.limits = config.websocket();
        this.vertx = vertx;
        this.metrics = metrics;
        this.meters = meters;
    }

    /** Takes a pusher:subscribe or pusher:unsubscribe frame from the socket's budget; false after answering 4301. */
    boolean withinBudget(ClientConnection connection) {
        if (connection.budgets().takeSubscribeFrame(limits.subscribeLimit(), limits.subscribePer(), System.nanoTime())) {
            return true;
        }
        metrics.refused("subscribeLimit");
        connection.send(frames.error(CloseCode.CLIENT_EVENT_RATE_LIMIT.code(), "subscription refused: more than " + limits.subscribeLimit()
                + " subscribe and unsubscribe frames per " + limits.subscribePer().toSeconds() + " s"));
        return false;
    }

    void subscribe(ClientConnection connection, JsonNode data) {
        String channel = data.path("channel").asText("");
        int maxName = connection.app().limits().maxChannelNameLength();
        if (!Channels.isValidName(channel, maxName < 0 ? Integer.MAX_VALUE : maxName)) {
            boolean tooLong = maxName >= 0 && channel.length() > maxName;
            if (tooLong) {
                meters.refused(connection.app().id(), "maxChannelNameLength");
            }
            connection.send(frames.subscriptionError(channel, "InvalidChannel", tooLong
                    ? "channel name longer than " + maxName + " characters"
                    : "channel names are characters of a-z, A-Z, 0-9 and -_=@,.;", 400));
            return;
        }
        ClientConnection.Subscription existing = connection.subscription(channel);
        if (existing != null) {
            String user = existing.presenceUser();
            existing.channel().succeedAgain(connection, connection.self(user));
            return;
        }
        if (connection.subscriptionCount() >= limits.maxSubscriptionsPerConnection()) {
            connection.send(frames.subscriptionError(channel, "LimitReached",
                    "at most " + limits.maxSubscriptionsPerConnection() + " subscriptions per connection", 429));
            return;
        }
        if (channel.startsWith(Channels.SERVER_TO_USER)) {
            connection.send(frames.subscriptionError(channel, "AuthError", "sign in to receive your user channel", 403));
            return;
        }
        String auth = data.path("auth").asText(null);
        if (Channels.isPresence(channel)) {
            String channelData = data.path("channel_data").asText(null);
            if (channelData == null
                    || !connection.app().verifyAuth(auth, PusherApp.presenceChannelText(connection.socketId(), channel, channelData))) {
                authError(connection, channel);
                return;
            }
            JsonNode member = presence.member(connection, channel, channelData);
            if (member != null) {
                LocalChannel local = attach(connection, channel, member.get("user_id").asText());
                presence.join(connection, channel, member, local, () -> unsubscribe(connection, channel));
            }
            return;
        }
        if (Channels.isPrivate(channel)
                && !connection.app().verifyAuth(auth, PusherApp.privateChannelText(connection.socketId(), channel))) {
            authError(connection, channel);
            return;
        }
        String identity = connection.identity(channel);
        attach(connection, channel, null).admit(connection, new Viewer(identity, connection.blockersOf(identity)), 0, null, false,
                connection.takeResume(channel));
    }

    /**
     * Records a subscription and expects the connection on the local channel (which starts listening on the bus
     * on its first subscriber); the caller admits it when ready.
     */
    LocalChannel attach(ClientConnection connection, String channel, String presenceUser) {
        String appId = connection.app().id();
        LocalChannel local = hub.subscribe(appId, channel, connection);
        ClientConnection.Subscription subscription = new ClientConnection.Subscription(local, presenceUser);
        connection.addSubscription(channel, subscription);
        occupancy.count(appId, channel, 1);
        metrics.subscribed(presenceUser != null);
        vertx.setTimer(SUBSCRIBE_TIMEOUT.toMillis(), id -> {
            if (connection.subscription(channel) == subscription && !local.isLive(connection)) {
                LOG.warnf("subscription to %s not ready after %s", channel, SUBSCRIBE_TIMEOUT);
                unsubscribe(connection, channel);
                connection.send(frames.subscriptionError(channel, "ServiceUnavailable", "subscription timed out, retry", 503));
            }
        });
        return local;
    }

    void unsubscribe(ClientConnection connection, String channel) {
        ClientConnection.Subscription subscription = connection.removeSubscription(channel);
        if (subscription == null) {
            return;
        }
        subscription.channel().remove(connection);
        occupancy.count(connection.app().id(), channel, -1);
        metrics.unsubscribed(subscription.presenceUser() != null);
        if (subscription.presenceUser() != null) {
            presence.leave(connection, channel, subscription.presenceUser());
        }
    }

    /** Everything a closing connection was subscribed to. */
    void unsubscribeAll(ClientConnection connection) {
        for (String channel : connection.subscriptions().keySet()) {
            unsubscribe(connection, channel);
        }
    }

    private void authError(ClientConnection connection, String channel) {
        connection.send(frames.subscriptionError(channel, "AuthError", "invalid signature for " + channel, 401));
    }
}
