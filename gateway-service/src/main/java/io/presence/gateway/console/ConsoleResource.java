package io.presence.gateway.console;

import io.presence.gateway.console.ConsoleViews.ChannelDetail;
import io.presence.gateway.console.ConsoleViews.ChannelRow;
import io.presence.gateway.console.ConsoleViews.Instance;
import io.presence.gateway.console.ConsoleViews.LogEntry;
import io.presence.gateway.console.ConsoleViews.Overview;
import io.presence.gateway.console.ConsoleViews.Sent;
import io.presence.gateway.console.ConsoleViews.TestEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The operator console's API: everything the console page shows, for scripts too (operators only). */
@Path("/console/api")
@Produces(MediaType.APPLICATION_JSON)
@OperatorOnly
@Tag(name = "Operator console")
@SecurityRequirement(name = "operator")
@SecurityScheme(securitySchemeName = "operator", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The operator password as bearer token, or the session cookie of POST /console/api/session")
public class ConsoleResource {

    private final ClusterOverview overview;
    private final ConsoleChannels channels;
    private final ChannelLog log;

    public ConsoleResource(ClusterOverview overview, ConsoleChannels channels, ChannelLog log) {
        this.overview = overview;
        this.channels = channels;
        this.log = log;
    }

    @GET
    @Path("/overview")
    @Operation(summary = "The cluster now and over the last minutes: connections per gateway, subscriptions, members, "
            + "events, messages and webhooks per second, Redis and PostgreSQL latency, and every service instance")
    public Uni<Overview> overview() {
        return overview.overview();
    }

    @GET
    @Path("/nodes")
    @Operation(summary = "Every service instance that reported in the last minutes; gateways with their lease age, "
            + "or reaped when their lease lapsed")
    public Uni<List<Instance>> nodes() {
        return overview.instances();
    }

    @GET
    @Path("/apps/{appId}/channels")
    @Operation(summary = "Occupied channels of an app, optionally by name prefix, with subscription and user counts")
    public Uni<List<ChannelRow>> channels(@PathParam("appId") String appId, @QueryParam("prefix") String prefix) {
        return channels.list(appId, prefix);
    }

    @GET
    @Path("/apps/{appId}/channels/{channel}")
    @Operation(summary = "One channel: subscriptions and, for presence channels, members with status and last seen")
    public Uni<ChannelDetail> channel(@PathParam("appId") String appId, @PathParam("channel") String channel) {
        return channels.detail(appId, channel);
    }

    @GET
    @Path("/apps/{appId}/channels/{channel}/log")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "A channel's live log (server-sent events): frames its subscribers get and webhooks queued for it")
    public Multi<LogEntry> log(@PathParam("appId") String appId, @PathParam("channel") String channel) {
        channels.check(appId, channel);
        return log.follow(appId, channel);
    }

    @POST
    @Path("/apps/{appId}/channels/{channel}/events")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sends a test event to the channel's subscribers, signed by the server like an HTTP API trigger")
    public Uni<Response> send(@PathParam("appId") String appId, @PathParam("channel") String channel,
                              @Valid @NotNull TestEvent event) {
        return channels.send(appId, channel, event.event(), event.data())
                .map(seq -> Response.accepted(new Sent(seq)).build());
    }
}
