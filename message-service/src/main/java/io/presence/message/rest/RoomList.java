package io.presence.message.rest;

import java.util.List;

/** A page of rooms. */
public record RoomList(List<RoomSummary> rooms) {
}
