package io.presence.terminal.chat;

import io.presence.terminal.api.ApiException;
import io.presence.terminal.api.SuiteApi;
import io.presence.terminal.api.Wire;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Contacts, contact requests and direct conversations: {@code /contacts}, {@code /add}, {@code /accept},
 * {@code /decline}, finding the conversation of {@code /dm}, and the news a refresh brings (requests, acceptances).
 */
final class Contacts {

    private final SuiteApi api;
    private final Out out;
    private final Render render;
    private final Wire.Me me;
    private List<Wire.User> contacts = List.of();
    private List<Wire.ContactRequest> incoming = List.of();
    private List<Wire.ContactRequest> outgoing = List.of();
    private Map<String, Long> unread = Map.of();
    private boolean loaded;

    Contacts(SuiteApi api, Out out, Render render, Wire.Me me) {
        this.api = api;
        this.out = out;
        this.render = render;
        this.me = me;
    }

    /** The direct channel of two users: {@code private-dm-{a}-{b}} with {@code a < b} as numbers. */
    static String directChannel(String a, String b) {
        return new BigInteger(a).compareTo(new BigInteger(b)) < 0 ? "private-dm-" + a + "-" + b : "private-dm-" + b + "-" + a;
    }

    /** Reloads everything; returns what is new since the last refresh, as sentences (none on the first one). */
    List<String> refresh() {
        Set<String> knownContacts = contacts.stream().map(Wire.User::id).collect(Collectors.toSet());
        Set<String> knownRequests = incoming.stream().map(Wire.ContactRequest::id).collect(Collectors.toSet());
        contacts = api.get("/api/contacts", Wire.ContactList.class).contacts().stream().map(Wire.Contact::user).toList();
        incoming = api.get("/api/contacts/requests?direction=incoming", Wire.RequestList.class).requests();
        outgoing = api.get("/api/contacts/requests?direction=outgoing", Wire.RequestList.class).requests();
        Map<String, Long> counts = new HashMap<>();
        for (Wire.Conversation conversation : api.get("/api/conversations", Wire.ConversationList.class).conversations()) {
            counts.put(conversation.with().id(), conversation.unread());
        }
        unread = counts;
        List<String> news = new ArrayList<>();
        if (loaded) {
            incoming.stream().filter(r -> !knownRequests.contains(r.id())).forEach(r -> news.add(
                    r.from().handle() + " wants to be your contact: /accept " + r.from().handle()));
            contacts.stream().filter(c -> !knownContacts.contains(c.id())).forEach(c -> news.add(
                    c.handle() + " is now your contact: /dm " + c.handle()));
        }
        loaded = true;
        return news;
    }

    List<Wire.User> all() {
        return contacts;
    }

    boolean isContact(String userId) {
        return contacts.stream().anyMatch(c -> c.id().equals(userId));
    }

    Optional<Wire.User> byId(String userId) {
        return contacts.stream().filter(c -> c.id().equals(userId)).findFirst();
    }

    /** Handles for Tab: contacts and whoever asked. */
    List<String> handles() {
        List<String> handles = new ArrayList<>();
        contacts.forEach(c -> handles.add(c.handle()));
        incoming.forEach(r -> handles.add(r.from().handle()));
        return handles;
    }

    /** {@code /contacts}: each contact with status or last seen and unread messages, then pending requests. */
    void list() {
        refresh();
        out.section("Contacts");
        if (contacts.isEmpty()) {
            out.hint("No contacts yet: /add HANDLE asks someone.");
        }
        Map<String, Wire.Presence> presence = presence(contacts.stream().map(Wire.User::id).toList());
        Instant now = Instant.now();
        contacts.stream()
                .sorted(Comparator.comparing((Wire.User c) -> !online(presence.get(c.id()))).thenComparing(Wire.User::handle))
                .forEach(c -> {
                    Wire.Presence p = presence.get(c.id());
                    String status = online(p) ? p.status() : "offline";
                    long count = unread.getOrDefault(c.id(), 0L);
                    String extra = online(p) || p == null ? "" : lastSeen(p, now);
                    if (count > 0) {
                        extra = (extra.isEmpty() ? "" : extra + ", ") + count + " unread: /dm " + c.handle();
                    }
                    out.line(render.person(status, c.handle(), c.displayName(), online(p) ? p.text() : null,
                            extra.isEmpty() ? null : extra));
                });
        for (Wire.ContactRequest request : incoming) {
            out.hint(request.from().handle() + " wants to be your contact: /accept " + request.from().handle()
                    + " or /decline " + request.from().handle());
        }
        for (Wire.ContactRequest request : outgoing) {
            out.hint("You asked " + request.to().handle() + "; waiting for an answer.");
        }
    }

    /** "last seen 5 min ago", or "not seen yet" for someone who never went offline since presence began. */
    static String lastSeen(Wire.Presence presence, Instant now) {
        Instant seen = Times.parse(presence.lastSeen());
        return seen == null ? "not seen yet" : "last seen " + Times.ago(seen, now);
    }

    private static boolean online(Wire.Presence presence) {
        return presence != null && presence.online();
    }

    /** Presence of these users, by id (an empty map when presence-service does not answer). */
    Map<String, Wire.Presence> presence(List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        try {
            return api.post("/api/presence/users/query", Map.of("ids", ids), Wire.PresenceList.class).users().stream()
                    .collect(Collectors.toMap(Wire.Presence::userId, p -> p, (a, b) -> a));
        } catch (ApiException e) {
            return Map.of();
        }
    }

    /** {@code /add HANDLE}. */
    void add(String handle) {
        if (handle.isBlank()) {
            out.error("Usage: /add HANDLE");
            return;
        }
        Wire.ContactRequest request;
        try {
            request = api.post("/api/contacts/requests", Map.of("to", handle.strip()), Wire.ContactRequest.class);
        } catch (ApiException e) {
            if (e.status() == 404) {
                out.error("Nobody is called " + handle.strip() + ".");
                return;
            }
            throw e;
        }
        if ("accepted".equals(request.state())) {
            out.info("You and " + request.to().handle() + " are contacts now (they had asked you): /dm " + request.to().handle());
        } else {
            out.info("Asked " + request.to().handle() + " to be your contact; they see it in their /contacts.");
        }
        refresh();
    }

    /** {@code /accept HANDLE} and {@code /decline HANDLE}. */
    void answer(String handle, boolean accept) {
        String who = handle.strip();
        Optional<Wire.ContactRequest> request = incoming.stream().filter(r -> r.from().handle().equalsIgnoreCase(who)).findFirst();
        if (request.isEmpty()) {
            refresh();
            request = incoming.stream().filter(r -> r.from().handle().equalsIgnoreCase(who)).findFirst();
        }
        if (request.isEmpty()) {
            out.error(who.isEmpty() ? "Usage: /" + (accept ? "accept" : "decline") + " HANDLE"
                    : who + " has not asked to be your contact. /contacts shows who has.");
            return;
        }
        String path = "/api/contacts/requests/" + request.get().id() + (accept ? "/accept" : "/decline");
        api.post(path, null, Void.class);
        String from = request.get().from().handle();
        out.info(accept ? "You and " + from + " are contacts now: /dm " + from : "Declined " + from + "'s request.");
        refresh();
    }

    /** The conversation with a contact for {@code /dm HANDLE}, or empty with the reason printed. */
    Optional<Target> direct(String handle) {
        String who = handle.strip();
        if (who.isEmpty()) {
            out.error("Usage: /dm HANDLE");
            return Optional.empty();
        }
        Optional<Wire.User> user = api.user(who);
        if (user.isEmpty()) {
            out.error("Nobody is called " + who + ".");
            return Optional.empty();
        }
        if (user.get().id().equals(me.id())) {
            out.error("That is you.");
            return Optional.empty();
        }
        try {
            Wire.Conversation conversation = api.get("/api/conversations/" + user.get().id(), Wire.Conversation.class);
            return Optional.of(Target.direct(user.get(), conversation.channel()));
        } catch (ApiException e) {
            if (e.status() == 403) {
                out.error("You can write to " + user.get().handle() + " once you are contacts: /add " + user.get().handle());
                return Optional.empty();
            }
            throw e;
        }
    }
}
