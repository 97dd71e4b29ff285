package io.presence.gateway.api;

import static io.presence.gateway.api.ApiLimits.bad;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.app.App;
import io.presence.common.app.AppLimits;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventPublisher;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.pusher.Channels;
import io.presence.gateway.events.Broker;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks the events a backend triggers against the app's limits and turns them into publishes that run in order. */
@ApplicationScoped
public class BackendEvents {

    private static final Pattern USER_CHANNEL = Pattern.compile("#server-to-user-[-a-zA-Z0-9_=@,.;]+");

    private final Broker broker;
    private final ApiLimits limits;

    public BackendEvents(Broker broker, ApiLimits limits) {
        this.broker = broker;
        this.limits = limits;
    }

    /** The attributes asked for in an event's {@code info} (subscription_count, user_count; the latter for presence channels only). */
    Set<String> requestedInfo(JsonNode event) {
        String info = event.path("info").asText("");
        Set<String> attributes = info.isBlank() ? Set.of()
                : Arrays.stream(info.split(",")).map(String::trim).filter(a -> !a.isEmpty()).collect(Collectors.toSet());
        for (String attribute : attributes) {
            if (!attribute.equals("subscription_count") && !attribute.equals("user_count")) {
                throw bad("info may ask for subscription_count and user_count");
            }
        }
        if (attributes.contains("user_count") && !channelsOf(event).stream().allMatch(Channels::isPresence)) {
            throw bad("user_count is only available for presence channels");
        }
        return attributes;
    }

    static List<String> channelsOf(JsonNode event) {
        List<String> channels = new ArrayList<>();
        if (event.path("channels").isArray()) {
            event.get("channels").forEach(c -> channels.add(c.asText()));
        } else if (event.has("channel")) {
            channels.add(event.get("channel").asText());
        }
        return channels;
    }

    List<Uni<Void>> publishAll(App app, JsonNode event) {
        AppLimits appLimits = app.limits();
        String name = event.path("name").asText("");
        if (name.isEmpty()) {
            throw bad("name is required");
        }
        if (!AppLimits.within(name.length(), appLimits.maxEventNameLength())) {
            throw limits.refused(app, "maxEventNameLength", bad("Event name is too long: at most " + appLimits.maxEventNameLength() + " characters"));
        }
        JsonNode data = event.get("data");
        if (data == null || !data.isTextual()) {
            throw bad("data must be a string (JSON-encode objects first)");
        }
        if (!AppLimits.withinKb(data.asText().getBytes(StandardCharsets.UTF_8).length, appLimits.maxEventPayloadInKb())) {
            throw limits.refused(app, "maxEventPayloadInKb", new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "The data content of this event exceeds the allowed maximum (" + AppLimits.bytesOf(appLimits.maxEventPayloadInKb()) + " bytes)"));
        }
        if (event.has("channels") && !event.get("channels").isArray()) {
            throw bad("channels must be an array");
        }
        List<String> channels = channelsOf(event);
        if (channels.isEmpty()) {
            throw bad("an event goes to at least one channel");
        }
        if (!AppLimits.within(channels.size(), appLimits.maxEventChannelsAtOnce())) {
            throw limits.refused(app, "maxEventChannelsAtOnce", bad("Cannot trigger to more than " + appLimits.maxEventChannelsAtOnce() + " channels at once"));
        }
        channels.forEach(channel -> requireEventChannel(app, channel));
        String socketId = event.hasNonNull("socket_id") ? event.get("socket_id").asText() : null;
        if (socketId != null && !Channels.isValidSocketId(socketId)) {
            throw bad("socket_id must look like 123.456");
        }
        List<Uni<Void>> sends = new ArrayList<>();
        for (String channel : channels) {
            ChannelEvent published = ChannelEvent.server(name, data.asText(), socketId);
            // deferred: nothing is published unless every event of the request was valid
            sends.add(Uni.createFrom().deferred(() -> broker.publish(app.id(), channel, published))
                    .onFailure(EventPublisher.Refused.class).transform(e -> new ProblemException(ProblemType.STORE_UNAVAILABLE,
                            "too many events are waiting to be published; retry"))
                    .replaceWithVoid());
        }
        return sends;
    }

    /** Publishes one after the other, so subscribers see a request's events in the order it lists them. */
    static Uni<Void> inOrder(List<Uni<Void>> sends) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> send : sends) {
            chain = chain.chain(() -> send);
        }
        return chain;
    }

    private void requireEventChannel(App app, String channel) {
        if (!USER_CHANNEL.matcher(channel).matches()) {
            limits.requireChannel(app, channel);
        }
    }
}
