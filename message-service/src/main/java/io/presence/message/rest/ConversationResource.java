package io.presence.message.rest;

import io.presence.common.pusher.Channels;
import io.presence.message.model.ConversationSummary;
import io.presence.message.service.Caller;
import io.presence.message.service.ConversationService;
import io.presence.message.service.Timeline;
import io.presence.message.view.MessageViews.ConversationList;
import io.presence.message.view.MessageViews.ConversationView;
import io.presence.message.view.MessageViews.NewMessage;
import io.presence.message.view.MessageViews.Participant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
public class ConversationResource extends TimelineResource {

    private final ConversationService conversations;

    public ConversationResource(ConversationService conversations, MessageEndpoints messages, CallerResolver users) {
        super(messages, users);
        this.conversations = conversations;
    }

    @Override
    protected Timeline timeline(long userId, Caller caller) {
        return conversations.timeline(caller, userId);
    }

    /** My conversations, latest message first, with unread counts. */
    @GET
    public ConversationList mine(@Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return new ConversationList(conversations.conversationsOf(caller).stream().map(s -> view(s, caller)).toList());
    }

    /** My conversation with this user (opened on first use) and its realtime channel. */
    @GET
    @Path("/{id}")
    public ConversationView conversation(@PathParam("id") long userId, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        return view(conversations.summary(caller, userId), caller);
    }

    @POST
    @Path("/{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(@PathParam("id") long userId, @Valid @NotNull NewMessage body, @Context HttpHeaders headers) {
        Caller caller = users.caller(headers);
        // the timeline check (contacts, no block) runs first; the insert has nothing left to check
        return messages.send(timeline(userId, caller), caller, body, () -> { });
    }

    private static ConversationView view(ConversationSummary s, Caller caller) {
        long other = s.userLow() == caller.id() ? s.userHigh() : s.userLow();
        return new ConversationView(Long.toString(s.id()), new Participant(Long.toString(other)),
                Channels.directChannel(s.userLow(), s.userHigh()), s.unread(), Long.toString(s.myReadId()),
                Long.toString(s.otherReadId()), s.lastMessageId() == null ? null : s.lastMessageId().toString(), s.createdAt());
    }
}
