package io.presence.presence.rest;

import io.presence.presence.service.ChannelMember;
import java.util.List;

/** The visible members of a presence channel. */
public record ChannelMemberList(List<ChannelMember> members, int count) {

    public ChannelMemberList(List<ChannelMember> members) {
        this(members, members.size());
    }
}
