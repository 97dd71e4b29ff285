package io.presence.message.service;

/**
 * Turns the domain data of a {@link RealtimeEvent} (a message, a moved read cursor) into what goes on the wire;
 * implemented next to the REST views, so services never depend on them.
 */
public interface EventPayloads {

    /** The object to serialize as the event's JSON data; anything not a domain type is returned as it is. */
    Object toWire(Object data);
}
