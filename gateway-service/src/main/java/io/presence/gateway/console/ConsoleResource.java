package io.presence.gateway.console;

import io.presence.gateway.console.ConsoleViews.AppUsageView;
import io.presence.gateway.console.ConsoleViews.ChannelDetail;
import io.presence.gateway.console.ConsoleViews.ChannelRow;
import io.presence.gateway.console.ConsoleViews.Instance;
import io.presence.gateway.console.ConsoleViews.LogEntry;
import io.presence.gateway.console.ConsoleViews.Overview;
import io.presence.gateway.console.ConsoleViews.Sent;
import io.presence.gateway.console.ConsoleViews.SessionView;
import io.presence.common.http.ClientAddress;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.core.Context;
import org.jboss.logging.Logger;
import io.presence.gateway.console.ConsoleViews.TestEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import io.vertx.core.http.HttpMethod;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

    /** Operators' revelations of private payloads and revocations of sessions, logged under this category. */
    private static final Logger AUDIT = Logger.getLogger("io.presence.gateway.console.audit");

    private final ClusterOverview overview;
    private final ConsoleChannels channels;
    private final ChannelLog log;
    private final AppStoreForwarding appStore;
    private final AppUsage usage;
    private final OperatorAuth auth;
    private final ConsoleSessions sessions;

    public ConsoleResource(ClusterOverview overview, ConsoleChannels channels, ChannelLog log, AppStoreForwarding appStore,
                           AppUsage usage, OperatorAuth auth, ConsoleSessions sessions) {
        this.overview = overview;
        this.channels = channels;
        this.log = log;
        this.appStore = appStore;
        this.usage = usage;
        this.auth = auth;
        this.sessions = sessions;
    }

    @GET
    @Path("/apps")
    @Operation(summary = "Every app of the app store, in soketi's app JSON (without secrets)")
    public Uni<Response> apps() {
        return appStore.forward(HttpMethod.GET, "", null);
    }

    @POST
    @Path("/apps")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates an app (soketi's app JSON; id required, key and secret generated when absent); 201 with its secret")
    public Uni<Response> createApp(String body) {
        return appStore.forward(HttpMethod.POST, "", body);
    }

    @GET
    @Path("/apps/{appId}")
    @Operation(summary = "One app of the app store")
    public Uni<Response> app(@PathParam("appId") String appId) {
        return appStore.forward(HttpMethod.GET, AppStoreForwarding.segment(appId), null);
    }

    @PATCH
    @Path("/apps/{appId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Changes the fields given (null: back to the deployment default); every gateway applies it within seconds")
    public Uni<Response> patchApp(@PathParam("appId") String appId, String body) {
        return appStore.forward(HttpMethod.PATCH, AppStoreForwarding.segment(appId), body);
    }

    @DELETE
    @Path("/apps/{appId}")
    @Operation(summary = "Deletes an app: its sockets are closed (4001), its API calls refused")
    public Uni<Response> deleteApp(@PathParam("appId") String appId) {
        return appStore.forward(HttpMethod.DELETE, AppStoreForwarding.segment(appId), null);
    }

    @POST
    @Path("/apps/{appId}/secret")
    @Operation(summary = "Rotates the app's secret: the new one is answered once, the old one stays valid for apps.secret-grace-period")
    public Uni<Response> rotateSecret(@PathParam("appId") String appId) {
        return appStore.forward(HttpMethod.POST, AppStoreForwarding.segment(appId) + "/secret", null);
    }

    @GET
    @Path("/apps/{appId}/usage")
    @Operation(summary = "The app's usage now: connections, presence members, events per second, refusals per limit in the last 10 minutes")
    public Uni<AppUsageView> usage(@PathParam("appId") String appId) {
        return usage.usage(appId);
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
    @Operation(summary = "A channel's live log (server-sent events): frames its subscribers get and webhooks queued for it. "
            + "On private-* and presence-* channels app event payloads are hidden unless reveal=true (which is logged)")
    public Multi<LogEntry> log(@PathParam("appId") String appId, @PathParam("channel") String channel,
                               @QueryParam("reveal") boolean reveal, @CookieParam(OperatorAuth.COOKIE) String session,
                               @Context HttpServerRequest request) {
        channels.check(appId, channel);
        if (reveal && ChannelLog.hidesPayloads(channel)) {
            String who = auth.sessionId(session);
            AUDIT.infof("operator %s from %s revealed the payloads of %s channel %s in the console's live log",
                    who == null ? "with the password as bearer token" : "session " + who, ClientAddress.of(request), appId, channel);
        }
        return log.follow(appId, channel, reveal);
    }

    @GET
    @Path("/sessions")
    @Operation(summary = "The live operator sessions (on every gateway): from where, since and until when; current is this one")
    public Uni<List<SessionView>> sessions(@CookieParam(OperatorAuth.COOKIE) String session) {
        String current = auth.sessionId(session);
        return sessions.all().map(all -> all.stream().map(s -> new SessionView(s.id(), s.createdAt(), s.expiresAt(), s.address(),
                s.userAgent(), s.id().equals(current))).toList());
    }

    @DELETE
    @Path("/sessions")
    @Operation(summary = "Revokes every operator session, this one too: their next call is 401 on every gateway")
    public Uni<Response> revokeAll(@Context HttpServerRequest request) {
        return sessions.revokeAll().map(count -> {
            AUDIT.infof("every operator session (%d) revoked from %s", count, ClientAddress.of(request));
            return Response.noContent().build();
        });
    }

    @DELETE
    @Path("/sessions/{id}")
    @Operation(summary = "Revokes one operator session: its next call is 401 on every gateway; 404 when there is no such live session")
    public Uni<Response> revoke(@PathParam("id") String id, @Context HttpServerRequest request) {
        return sessions.revoke(id).map(revoked -> {
            if (!revoked) {
                throw new ProblemException(ProblemType.NOT_FOUND, "no live operator session " + id);
            }
            AUDIT.infof("operator session %s revoked from %s", id, ClientAddress.of(request));
            return Response.noContent().build();
        });
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
