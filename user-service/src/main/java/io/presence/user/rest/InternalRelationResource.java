package io.presence.user.rest;

import io.presence.user.view.ContactViews.RelationView;
import io.presence.user.service.ContactService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * For other services, never routed by the gateway: "may A talk to B?" and "has A blocked B?" in one indexed
 * query pair. Answers may be cached for 5 s, so a new block reaches other services within that time.
 */
@Path("/internal/relations")
@Produces(MediaType.APPLICATION_JSON)
public class InternalRelationResource {

    private final ContactService contacts;

    public InternalRelationResource(ContactService contacts) {
        this.contacts = contacts;
    }

    @GET
    @Path("/{a}/{b}")
    public Response relation(@PathParam("a") long a, @PathParam("b") long b) {
        ContactService.Relation r = contacts.relation(a, b);
        return Response.ok(new RelationView(r.contacts(), r.aBlocksB(), r.bBlocksA(), r.mayTalk()))
                .header("Cache-Control", "private, max-age=5")
                .build();
    }
}
