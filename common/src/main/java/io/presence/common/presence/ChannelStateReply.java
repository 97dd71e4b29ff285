package io.presence.common.presence;

import io.presence.common.event.ChannelEvent;
import io.presence.common.event.Event;
import io.presence.common.event.EventCodec;
import io.presence.common.presence.PresenceStore.ChannelState;
import io.presence.common.store.MemberState;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** The reply of {@code redis/channel_state.lua}, read in this one place into a {@link ChannelState}. */
final class ChannelStateReply {

    private static final Logger LOG = Logger.getLogger(ChannelStateReply.class);

    private ChannelStateReply() {
    }

    /**
     * Reads {@code {seq, members, events, complete, stream exists, cached event or ''}}, members = {@code {user,
     * user_info, status, ...}}, events = payloads oldest first; an event that cannot be read is skipped (and logged
     * with {@code channel}).
     */
    static ChannelState decode(Response reply, String channel) {
        Map<String, MemberState> members = new LinkedHashMap<>();
        Response flat = reply.get(1);
        for (int i = 0; i + 2 < flat.size(); i += 3) {
            members.put(flat.get(i).toString(), EventCodec.memberState(flat.get(i + 1).toString(), flat.get(i + 2).toString()));
        }
        List<Event> events = new ArrayList<>();
        for (Response payload : reply.get(2)) {
            try {
                events.add(EventCodec.decode(payload.toString()));
            } catch (IllegalArgumentException e) {
                LOG.warnf("skipping a stored event of %s: %s", channel, e.getMessage());
            }
        }
        ChannelEvent cached = null;
        String last = reply.size() > 5 ? reply.get(5).toString() : "";
        if (!last.isEmpty() && EventCodec.decode(last) instanceof ChannelEvent event) {
            cached = event;
        }
        return new ChannelState(reply.get(0).toLong(), members, events, reply.get(3).toLong() == 1, reply.get(4).toLong() == 1,
                cached);
    }
}
