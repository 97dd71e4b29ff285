package io.presence.message.rest;

import io.presence.common.pusher.Channels;
import io.presence.message.repository.ConversationRepository;
import io.presence.message.rest.MessageViews.ConversationList;
import io.presence.message.rest.MessageViews.ConversationView;
import io.presence.message.rest.MessageViews.CursorMove;
import io.presence.message.rest.MessageViews.CursorView;
import io.presence.message.rest.MessageViews.MessageEdit;
import io.presence.message.rest.MessageViews.MessagePage;
import io.presence.message.rest.MessageViews.MessageView;
import io.presence.message.rest.MessageViews.NewMessage;
import io.presence.message.rest.MessageViews.Participant;
import io.presence.message.service.Caller;
import io.presence.message.service.ConversationService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Direct conversations, addressed by the other user's id ({@code /api/conversations/{userId}/...}); only between
 * accepted contacts with no block, 403 otherwise.
 */
@Path("/api/conversations")
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

    private final ConversationService conversations;
    private final MessageEndpoints messages;
    private final CallerResolver users;

    public ConversationResource(ConversationService conversations, MessageEndpoints messages, CallerResolver users) {
        this.conversations = conversations;
        this.messages = messages;
        this.users = users;
    }

    /** My conversations, latest message first, with unread counts. */
    @GET
    public ConversationList mine(@Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return new ConversationList(conversations.conversationsOf(caller).stream().map(s -> view(s, caller)).toList());
    }

    /** My conversation with this user (opened on first use) and its realtime channel. */
    @GET
    @Path("/{userId}")
    public ConversationView conversation(@PathParam("userId") long userId, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return view(conversations.summary(caller, userId), caller);
    }

    @POST
    @Path("/{userId}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(@PathParam("userId") long userId, @Valid @NotNull NewMessage body, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        // the timeline check (contacts, no block) runs first; the insert has nothing left to check
        return messages.send(conversations.timeline(caller, userId), caller, body, () -> { });
    }

    @GET
    @Path("/{userId}/messages")
    public MessagePage history(@PathParam("userId") long userId, @QueryParam("before") String before,
                               @QueryParam("limit") String limit, @Context HttpHeaders headers) {
        return messages.history(conversations.timeline(users.caller(headers), userId), before, limit);
    }

    @PATCH
    @Path("/{userId}/messages/{messageId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public MessageView edit(@PathParam("userId") long userId, @PathParam("messageId") long messageId,
                            @Valid @NotNull MessageEdit body, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return messages.edit(conversations.timeline(caller, userId), caller, messageId, body);
    }

    @DELETE
    @Path("/{userId}/messages/{messageId}")
    public void delete(@PathParam("userId") long userId, @PathParam("messageId") long messageId, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        messages.delete(conversations.timeline(caller, userId), caller, messageId);
    }

    @PUT
    @Path("/{userId}/cursor")
    @Consumes(MediaType.APPLICATION_JSON)
    public CursorView moveCursor(@PathParam("userId") long userId, @Valid @NotNull CursorMove body, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return messages.moveCursor(conversations.timeline(caller, userId), caller, body);
    }

    private static ConversationView view(ConversationRepository.Summary s, Caller caller) {
        long other = s.userLow() == caller.id() ? s.userHigh() : s.userLow();
        return new ConversationView(Long.toString(s.id()), new Participant(Long.toString(other)),
                Channels.directChannel(s.userLow(), s.userHigh()), s.unread(), Long.toString(s.myReadId()),
                Long.toString(s.otherReadId()), s.lastMessageId() == null ? null : s.lastMessageId().toString(), s.createdAt());
    }
}
