package io.presence.gateway.api;

import static io.presence.gateway.api.ApiLimits.bad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.app.App;
import io.presence.common.app.AppLimits;
import io.presence.common.app.AppMeters;
import io.presence.common.app.AppRates;
import io.presence.common.app.HttpApiAuth;
import io.presence.common.event.ControlCommand;
import io.presence.common.presence.PresenceStore;
import io.presence.common.problem.ProblemException;
import io.presence.common.pusher.Channels;
import io.presence.gateway.events.Broker;
import io.presence.gateway.node.Occupancy;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Pusher Channels HTTP API for backends (what {@code pusher-http-java} and the other server SDKs call),
 * signed as Pusher signs it. Events reach every gateway through the {@link Broker}.
 */
@Path("/apps/{appId}")
@Produces(MediaType.APPLICATION_JSON)
public class PusherHttpApi {

    private final HttpApiAuth auth;
    private final Broker broker;
    private final BackendEvents events;
    private final ApiLimits limits;
    private final Occupancy occupancy;
    private final PresenceStore presence;
    private final ObjectMapper json;
    private final AppMeters meters;

    public PusherHttpApi(HttpApiAuth auth, Broker broker, BackendEvents events, ApiLimits limits, Occupancy occupancy,
                         PresenceStore presence, Frames frames, AppMeters meters) {
        this.auth = auth;
        this.broker = broker;
        this.events = events;
        this.limits = limits;
        this.occupancy = occupancy;
        this.presence = presence;
        this.json = frames.json();
        this.meters = meters;
    }

    /** One event to up to 100 channels, optionally skipping the socket that caused it. */
    @POST
    @Path("/events")
    @Consumes(MediaType.WILDCARD)
    public Uni<JsonNode> trigger(@PathParam("appId") String appId, @Context UriInfo uri, byte[] body) {
        App app = auth.verify(appId, "POST", uri.getRequestUri().getPath(), uri.getQueryParameters(), body);
        JsonNode event = parse(body);
        Set<String> info = events.requestedInfo(event);
        List<Uni<Void>> sends = events.publishAll(app, event);
        return limits.withinBudget(app, AppRates.EVENTS, sends.size()).chain(() -> BackendEvents.inOrder(sends))
                .invoke(() -> meters.events(app.id(), "backend", sends.size())).chain(() -> {
            if (info.isEmpty()) {
                return Uni.createFrom().item((JsonNode) json.createObjectNode());
            }
            return occupancy.occupied(app.id()).chain(counts -> {
                ObjectNode result = json.createObjectNode();
                ObjectNode channels = result.putObject("channels");
                List<Uni<Void>> lookups = new ArrayList<>();
                for (String channel : BackendEvents.channelsOf(event)) {
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
        App app = auth.verify(appId, "POST", uri.getRequestUri().getPath(), uri.getQueryParameters(), body);
        JsonNode batch = parse(body).path("batch");
        if (!batch.isArray() || batch.isEmpty()) {
            throw bad("batch must be an array of events");
        }
        if (!AppLimits.within(batch.size(), app.limits().maxEventBatchSize())) {
            throw limits.refused(app, "maxEventBatchSize", bad("Batch too large: at most " + app.limits().maxEventBatchSize() + " events"));
        }
        List<Uni<Void>> sends = new ArrayList<>();
        List<Set<String>> infos = new ArrayList<>();
        for (JsonNode event : batch) {
            infos.add(events.requestedInfo(event));
            sends.addAll(events.publishAll(app, event));
        }
        Uni<Void> published = limits.withinBudget(app, AppRates.EVENTS, sends.size()).chain(() -> BackendEvents.inOrder(sends))
                .invoke(() -> meters.events(app.id(), "backend", sends.size()));
        if (infos.stream().allMatch(Set::isEmpty)) {
            return published.map(done -> (JsonNode) json.createObjectNode());
        }
        return published.chain(() -> occupancy.occupied(app.id())).chain(counts -> {
            ObjectNode result = json.createObjectNode();
            var answers = result.putArray("batch");
            List<Uni<Void>> lookups = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                ObjectNode answer = answers.addObject();
                if (!infos.get(i).isEmpty()) {
                    String channel = BackendEvents.channelsOf(batch.get(i)).get(0);
                    lookups.add(attributes(app, channel, infos.get(i), counts).invoke(answer::setAll).replaceWithVoid());
                }
            }
            return Uni.join().all(lookups).andFailFast().map(done -> (JsonNode) result);
        });
    }

    /** A channel's requested attributes, from this node's view of the cluster-wide subscription counts. */
    private Uni<ObjectNode> attributes(App app, String channel, Set<String> info, Map<String, Integer> counts) {
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
    private Uni<Integer> userCount(App app, String channel) {
        return presence.visibleMembers(app.id(), channel).map(Map::size);
    }

    /**
     * Occupied channels, optionally by prefix, with the attributes asked for: {@code subscription_count} for any,
     * {@code user_count} only with a presence- prefix.
     */
    @GET
    @Path("/channels")
    public Uni<JsonNode> channels(@PathParam("appId") String appId, @Context UriInfo uri) {
        App app = auth.verify(appId, "GET", uri.getRequestUri().getPath(), uri.getQueryParameters(), null);
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
        return limits.withinBudget(app, AppRates.READS, 1).chain(() -> occupancy.occupied(app.id())).chain(counts -> {
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
        App app = auth.verify(appId, "GET", uri.getRequestUri().getPath(), uri.getQueryParameters(), null);
        limits.requireChannel(app, channel);
        Set<String> info = infoAttributes(uri);
        if (info.contains("user_count") && !Channels.isPresence(channel)) {
            throw bad("user_count is only available for presence channels");
        }
        return limits.withinBudget(app, AppRates.READS, 1).chain(() -> occupancy.occupied(app.id())).chain(counts -> attributes(app, channel, info, counts).map(attributes -> {
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
        App app = auth.verify(appId, "GET", uri.getRequestUri().getPath(), uri.getQueryParameters(), null);
        limits.requireChannel(app, channel);
        if (!Channels.isPresence(channel)) {
            throw bad("users are only listed for presence channels");
        }
        return limits.withinBudget(app, AppRates.READS, 1).chain(() -> presence.visibleMembers(app.id(), channel)).map(members -> {
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
        App app = auth.verify(appId, "POST", uri.getRequestUri().getPath(), uri.getQueryParameters(), body);
        return broker.command(new ControlCommand.TerminateConnections(app.id(), userId)).map(done -> (JsonNode) json.createObjectNode());
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
}
