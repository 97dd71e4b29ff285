package io.presence.message.rest;

import io.presence.message.mapping.MessageMapper;
import io.presence.message.mapping.RoomMapper;
import io.presence.message.model.Message;
import io.presence.message.view.MessageViews.ReadCursor;
import io.presence.message.view.NoticeViews.MembershipChange;
import io.presence.message.view.NoticeViews.RoomRef;
import io.presence.message.view.NoticeViews.Unread;
import io.presence.message.view.RoomViews.InvitationView;
import io.presence.message.service.EventPayloads;
import io.presence.message.service.MessageService.CursorMoved;
import io.presence.message.service.Notices;
import jakarta.enterprise.context.ApplicationScoped;

/** Realtime events carry the same views as the REST answers (a message as {@link MessageViews.MessageView}, rooms as {@link RoomViews.RoomView}). */
@ApplicationScoped
public class RealtimePayloads implements EventPayloads {

    @Override
    public Object toWire(Object data) {
        if (data instanceof Message message) {
            return MessageMapper.toView(message);
        }
        if (data instanceof CursorMoved moved) {
            return new ReadCursor(Long.toString(moved.userId()), Long.toString(moved.messageId()));
        }
        if (data instanceof Notices.Unread u) {
            return new Unread(id(u.roomId()), id(u.userId()), u.unread());
        }
        if (data instanceof Notices.MembershipChanged m) {
            return new MembershipChange(RoomMapper.toView(m.room()), m.member());
        }
        if (data instanceof Notices.Invited i) {
            return new InvitationView(RoomMapper.toView(i.room()), Long.toString(i.invitedBy()), i.at());
        }
        if (data instanceof Notices.RoomGone g) {
            return new RoomRef(Long.toString(g.roomId()));
        }
        if (data instanceof Notices.RoomChanged c) {
            return RoomMapper.toView(c.room());
        }
        if (data instanceof Notices.Listed l) {
            return RoomMapper.toSummary(l.room());
        }
        return data;
    }

    private static String id(Long value) {
        return value == null ? null : value.toString();
    }
}
