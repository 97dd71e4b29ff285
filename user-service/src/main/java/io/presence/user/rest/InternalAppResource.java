package io.presence.user.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.user.view.AppView;
import io.presence.user.view.AppView.Shown;
import io.presence.user.service.AppService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * The app store for the operator console (the gateway forwards {@code /console/api/apps} here) and for scripts with
 * the service token: apps in soketi's JSON app config, every change published to every service within a moment.
 */
@Path("/internal/apps")
@Produces(MediaType.APPLICATION_JSON)
public class InternalAppResource {

    private final AppService apps;

    public InternalAppResource(AppService apps) {
        this.apps = apps;
    }

    @GET
    public List<AppView> list() {
        return apps.list().stream().map(a -> AppView.of(a, Shown.LISTED)).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonNode body, UriInfo uri) {
        AppView created = AppView.of(apps.create(body), Shown.WITH_SECRET);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build()).entity(created).build();
    }

    @GET
    @Path("/{id}")
    public AppView get(@PathParam("id") String id) {
        return AppView.of(apps.get(id), Shown.ONE);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AppView patch(@PathParam("id") String id, JsonNode body) {
        return AppView.of(apps.patch(id, body), Shown.ONE);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        apps.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/secret")
    public AppView rotateSecret(@PathParam("id") String id) {
        return AppView.of(apps.rotateSecret(id), Shown.WITH_SECRET);
    }
}
