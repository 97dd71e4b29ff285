package io.presence.message.rest;

import io.presence.message.service.Caller;
import io.presence.message.service.Timeline;
import io.presence.message.view.MessageViews.CursorMove;
import io.presence.message.view.MessageViews.CursorView;
import io.presence.message.view.MessageViews.MessageEdit;
import io.presence.message.view.MessageViews.MessagePage;
import io.presence.message.view.MessageViews.MessageView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** The message calls rooms and conversations answer alike under {@code /{id}} once {@link #timeline} has checked the caller's access. */
public abstract class TimelineResource {

    protected final MessageEndpoints messages;
    protected final CallerResolver users;

    protected TimelineResource(MessageEndpoints messages, CallerResolver users) {
        this.messages = messages;
        this.users = users;
    }

    /** The timeline {@code id} names, once the caller may read it (404 / 403 otherwise). */
    protected abstract Timeline timeline(long id, Caller caller);

    /** The latest messages, or those before a message id; oldest first. */
    @GET
    @Path("/{id}/messages")
    public MessagePage history(@PathParam("id") long id, @QueryParam("before") String before,
                               @QueryParam("limit") String limit, @Context HttpHeaders headers) {
        return messages.history(timeline(id, users.caller(headers)), before, limit);
    }

    @PATCH
    @Path("/{id}/messages/{messageId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public MessageView edit(@PathParam("id") long id, @PathParam("messageId") long messageId,
                            @Valid @NotNull MessageEdit body, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return messages.edit(timeline(id, caller), caller, messageId, body);
    }

    @DELETE
    @Path("/{id}/messages/{messageId}")
    public void delete(@PathParam("id") long id, @PathParam("messageId") long messageId, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        messages.delete(timeline(id, caller), caller, messageId);
    }

    /** Moves my read cursor forward (never back) and tells the others ({@code read_cursor}). */
    @PUT
    @Path("/{id}/cursor")
    @Consumes(MediaType.APPLICATION_JSON)
    public CursorView moveCursor(@PathParam("id") long id, @Valid @NotNull CursorMove body, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return messages.moveCursor(timeline(id, caller), caller, body);
    }
}
