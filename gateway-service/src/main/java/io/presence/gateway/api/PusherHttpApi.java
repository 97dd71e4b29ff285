package io.presence.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.ControlCommand;
import io.presence.common.event.EventPublisher;
import io.presence.common.presence.ChannelPresence;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.pusher.Channels;
import io.presence.common.pusher.HttpApiAuth;
import io.presence.common.pusher.PusherApp;
import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.presence.Occupancy;
import io.presence.gateway.protocol.Frames;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Pusher Channels HTTP API for backends (what {@code pusher-http-java} and the other server SDKs call),
 * signed as Pusher signs it. Events reach every gateway through the {@link Broker}.
 */
@Path("/apps/{appId}")
@Produces(MediaType.APPLICATION_JSON)
public class PusherHttpApi {

    private static final int MAX_CHANNELS_PER_EVENT = 100;
    private static final int MAX_BATCH = 10;
    private static final int MAX_EVENT_NAME = 200;
    private static final Pattern USER_CHANNEL = Pattern.compile("#server-to-user-[-a-zA-Z0-9_=@,.;]+");

    private final HttpApiAuth auth;
    private final EventPublisher publisher;
    private final Occupancy occupancy;
    private final ChannelPresence presence;
    private final Frames frames;
    private final ObjectMapper json;
    private final GatewayConfig.Websocket limits;

    public PusherHttpApi(HttpApiAuth auth, EventPublisher publisher, Occupancy occupancy, ChannelPresence presence, Frames frames,
                         GatewayConfig config) {
        this.auth = auth;
        this.publisher = publisher;
        this.occupancy = occupancy;
        this.presence = presence;
        this.frames = frames;
        this.json = frames.json();
        this.limits = config.websocket();
    }

    /** One event to up to 100 channels, optionally skipping the socket that caused it. */
    @POST
    @Path("/events")
    @Consumes(MediaType.WILDCARD)
    public Uni<JsonNode> trigger(@PathParam("appId") String appId, @Context UriInfo uri, byte[] body) {
        PusherApp app = auth.verify(appId, "POST", uri.getRequestUri().getPath(), uri.getQueryParameters(), body);
        JsonNode event = parse(body);
        Set<String> info = requestedInfo(event);
        return inOrder(publishAll(app, event)).chain(() -> {
            if (info.isEmpty()) {
                return Uni.createFrom().item((JsonNode) json.createObjectNode());
            }
            return occupancy.occupied(app.id()).chain(counts -> {
                ObjectNode result = json.createObjectNode();
                ObjectNode channels = result.putObject("channels");
                List<Uni<Void>> lookups = new ArrayList<>();
                for (String channel : channelsOf(event)) {
                    lookups.add(attributes(app, channel, info, counts).invoke(a -> channels.set(channel, a)).replaceWithVoid());
                }
                return Uni.join().all(lookups).andFailFast().map(done -> (JsonNode) result);
            });
        });
    }

    /** Up to 10 events, each to one channel. */
    @POST
    @Path("/batch_events")
    @Consumes(MediaType.WILDCARD)
    public Uni<JsonNode> batch(@PathParam("appId") String appId, @Context UriInfo uri, byte[] body) {
        PusherApp app = auth.verify(appId, "POST", uri.getRequestUri().getPath(), uri.getQueryParameters(), body);
        JsonNode batch = parse(body).path("batch");
        if (!batch.isArray() || batch.isEmpty() || batch.size() > MAX_BATCH) {
            throw bad("batch must be an array of 1-" + MAX_BATCH + " events");
        }
        List<Uni<Void>> sends = new ArrayList<>();
        List<Set<String>> infos = new ArrayList<>();
        for (JsonNode event : batch) {
            infos.add(requestedInfo(event));
            sends.addAll(publishAll(app, event));
        }
        if (infos.stream().allMatch(Set::isEmpty)) {
            return inOrder(sends).map(done -> (JsonNode) json.createObjectNode());
        }
        return inOrder(sends).chain(() -> occupancy.occupied(app.id())).chain(counts -> {
            ObjectNode result = json.createObjectNode();
            var answers = result.putArray("batch");
            List<Uni<Void>> lookups = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                ObjectNode answer = answers.addObject();
                if (!infos.get(i).isEmpty()) {
                    String channel = channelsOf(batch.get(i)).get(0);
                    lookups.add(attributes(app, channel, infos.get(i), counts).invoke(answer::setAll).replaceWithVoid());
                }
            }
            return Uni.join().all(lookups).andFailFast().map(done -> (JsonNode) result);
        });
    }

    /** The attributes asked for in an event's {@code info} (subscription_count, user_count; the latter for presence channels only). */
    private Set<String> requestedInfo(JsonNode event) {
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

    /** A channel's requested attributes, from this node's view of the cluster-wide subscription counts. */
    private Uni<ObjectNode> attributes(PusherApp app, String channel, Set<String> info, Map<String, Integer> counts) {
        ObjectNode attributes = json.createObjectNode();
        if (info.contains("subscription_count")) {
            attributes.put("subscription_count", counts.getOrDefault(channel, 0));
        }
        if (!info.contains("user_count")) {
            return Uni.createFrom().item(attributes);
        }
        return userCount(app, channel).map(n -> attributes.put("user_count", n));
    }

    /** Distinct visible users in a presence channel. */
    private Uni<Integer> userCount(PusherApp app, String channel) {
        return presence.visibleMembers(app.id(), channel).map(Map::size);
    }

    private static List<String> channelsOf(JsonNode event) {
        List<String> channels = new ArrayList<>();
        if (event.path("channels").isArray()) {
            event.get("channels").forEach(c -> channels.add(c.asText()));
        } else if (event.has("channel")) {
            channels.add(event.get("channel").asText());
        }
        return channels;
    }

    /**
     * Occupied channels, optionally by prefix, with the attributes asked for: {@code subscription_count} for any,
     * {@code user_count} only with a presence- prefix.
     */
    @GET
    @Path("/channels")
    public Uni<JsonNode> channels(@PathParam("appId") String appId, @Context UriInfo uri) {
        PusherApp app = auth.verify(appId, "GET", uri.getRequestUri().getPath(), uri.getQueryParameters(), null);
        String prefix = uri.getQueryParameters().getFirst("filter_by_prefix");
        Set<String> info = infoAttributes(uri);
        for (String attribute : info) {
            if (!attribute.equals("user_count") && !attribute.equals("subscription_count")) {
                throw bad("info may ask for user_count and subscription_count");
            }
        }
        if (info.contains("user_count") && (prefix == null || !prefix.startsWith("presence-"))) {
            throw bad("info=user_count needs filter_by_prefix=presence-");
        }
        return occupancy.occupied(app.id()).chain(counts -> {
            ObjectNode result = json.createObjectNode();
            ObjectNode channels = result.putObject("channels");
            List<Uni<Void>> lookups = new ArrayList<>();
            counts.keySet().stream()
                    .filter(name -> !name.startsWith("#") && (prefix == null || name.startsWith(prefix)))
                    .forEach(name -> lookups.add(attributes(app, name, info, counts).invoke(a -> channels.set(name, a)).replaceWithVoid()));
            Uni<Void> all = lookups.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(lookups).andFailFast().replaceWithVoid();
            return all.map(done -> (JsonNode) result);
        });
    }

    /** One channel: occupied, and on request subscription_count and (presence only) user_count, counting users. */
    @GET
    @Path("/channels/{channel}")
    public Uni<JsonNode> channel(@PathParam("appId") String appId, @PathParam("channel") String channel, @Context UriInfo uri) {
        PusherApp app = auth.verify(appId, "GET", uri.getRequestUri().getPath(), uri.getQueryParameters(), null);
        requireChannel(channel);
        Set<String> info = infoAttributes(uri);
        if (info.contains("user_count") && !Channels.isPresence(channel)) {
            throw bad("user_count is only available for presence channels");
        }
        return occupancy.occupied(app.id()).chain(counts -> attributes(app, channel, info, counts).map(attributes -> {
            ObjectNode result = json.createObjectNode();
            result.put("occupied", counts.getOrDefault(channel, 0) > 0);
            result.setAll(attributes);
            return (JsonNode) result;
        }));
    }

    /** The users of a presence channel. */
    @GET
    @Path("/channels/{channel}/users")
    public Uni<JsonNode> users(@PathParam("appId") String appId, @PathParam("channel") String channel, @Context UriInfo uri) {
        PusherApp app = auth.verify(appId, "GET", uri.getRequestUri().getPath(), uri.getQueryParameters(), null);
        requireChannel(channel);
        if (!Channels.isPresence(channel)) {
            throw bad("users are only listed for presence channels");
        }
        return presence.visibleMembers(app.id(), channel).map(members -> {
            ObjectNode result = json.createObjectNode();
            var users = result.putArray("users");
            members.keySet().forEach(id -> users.addObject().put("id", id));
            return (JsonNode) result;
        });
    }

    /** Closes every connection signed in as the user, on every gateway. */
    @POST
    @Path("/users/{userId}/terminate_connections")
    @Consumes(MediaType.WILDCARD)
    public Uni<JsonNode> terminate(@PathParam("appId") String appId, @PathParam("userId") String userId,
                                   @Context UriInfo uri, byte[] body) {
        PusherApp app = auth.verify(appId, "POST", uri.getRequestUri().getPath(), uri.getQueryParameters(), body);
        return publisher.command(new ControlCommand.TerminateConnections(app.id(), userId)).map(done -> (JsonNode) json.createObjectNode());
    }

    private List<Uni<Void>> publishAll(PusherApp app, JsonNode event) {
        String name = event.path("name").asText("");
        if (name.isEmpty() || name.length() > MAX_EVENT_NAME) {
            throw bad("name is required, at most " + MAX_EVENT_NAME + " characters");
        }
        JsonNode data = event.get("data");
        if (data == null || !data.isTextual()) {
            throw bad("data must be a string (JSON-encode objects first)");
        }
        if (data.asText().getBytes(StandardCharsets.UTF_8).length > limits.maxFrameBytes()) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "data is larger than " + limits.maxFrameBytes() + " bytes");
        }
        if (event.has("channels") && !event.get("channels").isArray()) {
            throw bad("channels must be an array");
        }
        List<String> channels = channelsOf(event);
        if (channels.isEmpty() || channels.size() > MAX_CHANNELS_PER_EVENT) {
            throw bad("an event goes to 1-" + MAX_CHANNELS_PER_EVENT + " channels");
        }
        channels.forEach(PusherHttpApi::requireEventChannel);
        String socketId = event.hasNonNull("socket_id") ? event.get("socket_id").asText() : null;
        if (socketId != null && !Channels.isValidSocketId(socketId)) {
            throw bad("socket_id must look like 123.456");
        }
        List<Uni<Void>> sends = new ArrayList<>();
        for (String channel : channels) {
            ChannelEvent published = ChannelEvent.server(name, data.asText(), socketId);
            // deferred: nothing is published unless every event of the request was valid
            sends.add(Uni.createFrom().deferred(() -> publisher.publish(app.id(), channel, published))
                    .onFailure(EventPublisher.Refused.class).transform(e -> new ProblemException(ProblemType.STORE_UNAVAILABLE,
                            "too many events are waiting to be published; retry"))
                    .replaceWithVoid());
        }
        return sends;
    }

    /** Publishes one after the other, so subscribers see a request's events in the order it lists them. */
    private static Uni<Void> inOrder(List<Uni<Void>> sends) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> send : sends) {
            chain = chain.chain(() -> send);
        }
        return chain;
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw bad("the body must be a JSON object");
            }
            return node;
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            throw bad("the body is not valid JSON");
        }
    }

    private static Set<String> infoAttributes(UriInfo uri) {
        String info = uri.getQueryParameters().getFirst("info");
        return info == null || info.isBlank() ? Set.of() : Arrays.stream(info.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    private static void requireChannel(String channel) {
        if (!Channels.isValidName(channel, Channels.DEFAULT_MAX_NAME_LENGTH)) {
            throw bad("invalid channel name " + channel);
        }
    }

    private static void requireEventChannel(String channel) {
        if (!USER_CHANNEL.matcher(channel).matches()) {
            requireChannel(channel);
        }
    }

    private static ProblemException bad(String detail) {
        return new ProblemException(ProblemType.BAD_REQUEST, detail);
    }
}
