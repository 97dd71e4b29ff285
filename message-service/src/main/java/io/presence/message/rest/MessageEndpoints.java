package io.presence.message.rest;

import io.presence.message.mapping.MessageMapper;
import io.presence.message.view.MessageViews;
import io.presence.message.view.MessageViews.CursorView;
import io.presence.message.view.MessageViews.MessagePage;
import io.presence.message.service.Caller;
import io.presence.message.service.MessageService;
import io.presence.message.service.Timeline;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/** What the message calls of rooms and of conversations share once the timeline is known: the HTTP side of {@link MessageService}. */
@ApplicationScoped
public class MessageEndpoints {

    /** Header on the answer to a retried send: the message was stored by an earlier request with the same key. */
    public static final String REPLAYED = "Idempotent-Replayed";

    private final MessageService messages;

    public MessageEndpoints(MessageService messages) {
        this.messages = messages;
    }

    /**
     * 201 with the stored message; 200 with the same message (and {@value #REPLAYED}: true) for a retry.
     * {@code accessCheck} answers 404 / 403 when the send stored nothing (see {@link MessageService#send}).
     */
    public Response send(Timeline place, Caller caller, MessageViews.NewMessage body, Runnable accessCheck) {
        MessageService.Sent sent = messages.send(place, caller, body.text(), body.clientMessageId(), accessCheck);
        return Response.status(sent.created() ? Response.Status.CREATED : Response.Status.OK)
                .header(REPLAYED, sent.created() ? null : "true")
                .entity(MessageMapper.toView(sent.message()))
                .build();
    }

    public MessagePage history(Timeline place, String before, String limit) {
        MessageService.Page page = messages.history(place, before, limit);
        return new MessagePage(page.messages().stream().map(MessageMapper::toView).toList(),
                page.nextBefore() == null ? null : page.nextBefore().toString());
    }

    public MessageViews.MessageView edit(Timeline place, Caller caller, long messageId, MessageViews.MessageEdit body) {
        return MessageMapper.toView(messages.edit(place, caller, messageId, body.text()));
    }

    public void delete(Timeline place, Caller caller, long messageId) {
        messages.delete(place, caller, messageId);
    }

    public CursorView cursor(Timeline place, Caller caller) {
        return view(messages.cursor(place, caller));
    }

    public CursorView moveCursor(Timeline place, Caller caller, MessageViews.CursorMove body) {
        return view(messages.moveCursor(place, caller, body.messageId()));
    }

    private static CursorView view(MessageService.CursorState state) {
        return new CursorView(Long.toString(state.messageId()), state.unread());
    }
}
