package io.presence.terminal.chat;

import io.presence.terminal.api.SuiteApi;
import io.presence.terminal.api.Wire;
import io.presence.terminal.realtime.Member;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** /who: the people of the open room or conversation with their status (you first, then who is online), else the contacts. */
final class WhoCommand {

    private final SuiteApi api;
    private final Out out;
    private final Render render;
    private final Wire.Me me;
    private final StatusBar bar;
    private final Contacts contacts;
    private final PresenceMaps presence;
    private final OpenView view;

    WhoCommand(SuiteApi api, Out out, Render render, Wire.Me me, StatusBar bar, Contacts contacts, PresenceMaps presence,
            OpenView view) {
        this.api = api;
        this.out = out;
        this.render = render;
        this.me = me;
        this.bar = bar;
        this.contacts = contacts;
        this.presence = presence;
        this.view = view;
    }

    void run() {
        if (view.timeline() == null) {
            contacts.list();
            return;
        }
        Target target = view.timeline().target();
        Map<String, String> people = new LinkedHashMap<>();
        if (target.isRoom()) {
            api.get(target.basePath() + "/members", Wire.MemberList.class).members()
                    .forEach(m -> people.put(m.userId(), m.handle()));
        } else {
            people.put(me.id(), me.handle());
            people.put(target.id(), target.name());
        }
        Map<String, Wire.Presence> status = contacts.presence(new ArrayList<>(people.keySet()));
        Map<String, Member> here = presence.here(target.channel());
        out.section("People in " + target.label());
        Instant now = Instant.now();
        people.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, String> e) -> !e.getKey().equals(me.id()))
                        .thenComparing(e -> status.get(e.getKey()) == null || !status.get(e.getKey()).online())
                        .thenComparing(Map.Entry::getValue))
                .forEach(e -> {
                    String id = e.getKey();
                    Member member = here.get(id);
                    String name = member != null ? member.displayName() : null;
                    if (id.equals(me.id())) {
                        out.line(render.person(bar.myStatus(), e.getValue(), me.displayName(), bar.myText(), "(you)"));
                        return;
                    }
                    Wire.Presence p = status.get(id);
                    boolean online = p != null && p.online();
                    String extra = online || p == null ? null : Contacts.lastSeen(p, now);
                    out.line(render.person(online ? p.status() : "offline", e.getValue(), name, online ? p.text() : null, extra));
                });
    }
}
