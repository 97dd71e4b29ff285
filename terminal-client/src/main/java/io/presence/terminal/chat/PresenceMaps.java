package io.presence.terminal.chat;

import io.presence.terminal.api.Wire;
import io.presence.terminal.realtime.Member;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The members of each subscribed presence channel, as the realtime events report them. Runs on the app thread. */
final class PresenceMaps {

    private final Contacts contacts;
    private final Map<String, Map<String, Member>> presence = new HashMap<>();

    PresenceMaps(Contacts contacts) {
        this.contacts = contacts;
    }

    /** The channel's members as last reported, empty when it has none or is not subscribed. */
    Map<String, Member> here(String channel) {
        return presence.getOrDefault(channel, Map.of());
    }

    /** Whether the channel's members were reported at all (a subscription succeeded). */
    boolean knows(String channel) {
        return presence.containsKey(channel);
    }

    void subscribed(String channel, Map<String, Member> members) {
        presence.put(channel, new LinkedHashMap<>(members));
    }

    void added(String channel, Member member) {
        presence.computeIfAbsent(channel, c -> new LinkedHashMap<>()).put(member.id(), member);
    }

    void removed(String channel, String userId) {
        Map<String, Member> members = presence.get(channel);
        if (members != null) {
            members.remove(userId);
        }
    }

    /** A member's new status and text, kept only for someone already known on the channel. */
    void updated(String channel, Member member) {
        Map<String, Member> members = presence.get(channel);
        if (members != null && members.containsKey(member.id())) {
            members.put(member.id(), member);
        }
    }

    /** A user's name: from the channel, else from "Online now", else from the contacts. */
    String nameOf(String channel, String userId) {
        Member member = here(channel).get(userId);
        if (member != null) {
            return member.name();
        }
        Member online = here(ChatClient.ONLINE_CHANNEL).get(userId);
        if (online != null) {
            return online.name();
        }
        return contacts.byId(userId).map(Wire.User::handle).orElse("user " + userId);
    }
}
