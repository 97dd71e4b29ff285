package io.presence.presence.rest;

import io.presence.presence.service.UserPresence;
import java.util.List;

/** Answer of the batch lookup: one entry per distinct id asked, in the order asked. */
public record UserPresenceList(List<UserPresence> users) {
}
