package io.presence.presence.rest;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.presence.service.PresenceQueryService;
import io.presence.presence.service.UserPresence;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.regex.Pattern;

/** Native presence REST API (reached through the gateway at {@code /api/presence/...}). */
@Path("/api/presence")
@Produces(MediaType.APPLICATION_JSON)
public class PresenceResource {

    /** User ids are opaque strings, limited to what fits a Redis hash tag and a Pusher channel name. */
    private static final Pattern USER_ID = Pattern.compile("[-a-zA-Z0-9_=@,.;]{1,128}");

    private final PresenceQueryService presence;

    public PresenceResource(PresenceQueryService presence) {
        this.presence = presence;
    }

    @GET
    @Path("/users/{id}")
    public UserPresence user(@PathParam("id") String id) {
        if (!USER_ID.matcher(id).matches()) {
            throw new ProblemException(ProblemType.VALIDATION, "invalid: id (1-128 characters of a-z, A-Z, 0-9 and -_=@,.;)");
        }
        return presence.user(id);
    }
}
