package io.presence.common.event;

/** Something that happened on one channel, as it travels from its producer to every gateway: sequenced per channel. */
public sealed interface Event permits ChannelEvent, MemberEvent {

    /** The channel's sequence number of this event (0 before it was published). */
    long seq();
}
