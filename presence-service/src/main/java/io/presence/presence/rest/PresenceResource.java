package io.presence.presence.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.presence.StatusChange;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.pusher.Channels;
import io.presence.common.text.TextRule;
import io.presence.presence.service.PresenceService;
import io.presence.presence.service.UserPresence;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Native presence REST API (reached through the gateway at {@code /api/presence/...}). Every call needs a
 * user-service session (cookie or bearer) or a Pusher-style signature with an app's key and secret (backends).
 */
@Path("/api/presence")
@Produces(MediaType.APPLICATION_JSON)
public class PresenceResource {

    /** Most ids one batch lookup answers. */
    static final int MAX_BATCH = 1000;
    /** User ids are opaque strings, limited to what fits a Redis hash tag and a Pusher channel name. */
    private static final Pattern USER_ID = Pattern.compile("[-a-zA-Z0-9_=@,.;]{1,128}");

    private final PresenceService presence;
    private final CallerResolver callers;
    private final ObjectMapper json;

    public PresenceResource(PresenceService presence, CallerResolver callers, ObjectMapper json) {
        this.presence = presence;
        this.callers = callers;
        this.json = json;
    }

    /** {@code {online, status, text, lastSeen}} of one user. */
    @GET
    @Path("/users/{id}")
    public Uni<UserPresence> user(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers) {
        requireUserId(id);
        return callers.resolve("GET", uri, headers, null).chain(caller -> presence.user(caller, id));
    }

    /** The same for up to 1,000 users: body {@code {"ids": [...]}}, answer {@code {"users": [...]}} in that order. */
    @POST
    @Path("/users/query")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<UserPresenceList> users(byte[] body, @Context UriInfo uri, @Context HttpHeaders headers) {
        List<String> ids = idsOf(readJson(body));
        return callers.resolve("POST", uri, headers, body)
                .chain(caller -> presence.users(caller, ids))
                .map(UserPresenceList::new);
    }

    /** Sets a user's status: body {@code {status?, text?, expiresAt? (epoch ms), expiresIn? (s)}}; the user or a backend. */
    @PUT
    @Path("/users/{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<StatusView> setStatus(@PathParam("id") String id, byte[] body, @Context UriInfo uri, @Context HttpHeaders headers) {
        requireUserId(id);
        JsonNode json = readJson(body);
        for (String field : List.of("status", "text")) {
            if (json.path(field).isTextual()) {
                TextRule.requireLabel(field, json.get(field).asText());
            }
        }
        StatusChange change;
        try {
            change = StatusChange.parse(json, System.currentTimeMillis());
        } catch (StatusChange.Invalid e) {
            throw new ProblemException(ProblemType.VALIDATION, e.getMessage());
        }
        return callers.resolve("PUT", uri, headers, body)
                .chain(caller -> presence.setStatus(caller, id, change))
                .map(StatusView::of);
    }

    /** The visible members of a presence channel of the signing app, with their status (backends only). */
    @GET
    @Path("/channels/{channel}/members")
    public Uni<ChannelMemberList> members(@PathParam("channel") String channel, @Context UriInfo uri, @Context HttpHeaders headers) {
        if (!Channels.isPresence(channel) || !Channels.isValidName(channel, 164)) {
            throw new ProblemException(ProblemType.VALIDATION, "invalid: channel (a presence- channel name)");
        }
        return callers.resolve("GET", uri, headers, null)
                .chain(caller -> presence.members(caller, channel))
                .map(ChannelMemberList::new);
    }

    private JsonNode readJson(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "the body must be a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "the body is not valid JSON");
        }
    }

    private static List<String> idsOf(JsonNode body) {
        JsonNode ids = body.path("ids");
        if (!ids.isArray()) {
            throw new ProblemException(ProblemType.VALIDATION, "invalid: ids (an array of user ids)");
        }
        if (ids.size() > MAX_BATCH) {
            throw new ProblemException(ProblemType.VALIDATION, "invalid: ids (at most " + MAX_BATCH + " per call, got " + ids.size() + ")");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            if (!(id.isTextual() || id.isIntegralNumber())) {
                throw new ProblemException(ProblemType.VALIDATION, "invalid: ids (strings or integers)");
            }
            requireUserId(id.asText());
            unique.add(id.asText());
        }
        return new ArrayList<>(unique);
    }

    private static void requireUserId(String id) {
        if (!USER_ID.matcher(id).matches()) {
            throw new ProblemException(ProblemType.VALIDATION, "invalid: id (1-128 characters of a-z, A-Z, 0-9 and -_=@,.;)");
        }
    }
}
