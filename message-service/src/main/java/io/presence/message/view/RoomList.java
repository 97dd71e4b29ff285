package io.presence.message.view;

import java.util.List;

/** A page of rooms. */
public record RoomList(List<RoomSummary> rooms) {
}
