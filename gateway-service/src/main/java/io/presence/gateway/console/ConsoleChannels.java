package io.presence.gateway.console;

import io.presence.common.app.AppRegistry;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventPublisher;
import io.presence.common.presence.PresenceStore;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.pusher.Channels;
import io.presence.common.store.MemberState;
import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.console.ConsoleViews.ChannelDetail;
import io.presence.gateway.console.ConsoleViews.ChannelRow;
import io.presence.gateway.console.ConsoleViews.Member;
import io.presence.gateway.events.Broker;
import io.presence.gateway.node.Occupancy;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The channels of an app for the console: the occupied ones, one channel with its members, and test events. */
@ApplicationScoped
public class ConsoleChannels {

    /** Members listed on a channel's page (the count covers all). */
    static final int MAX_MEMBERS = 200;
    /** Channels listed at most (the list says how many there are). */
    static final int MAX_CHANNELS = 500;

    private final Occupancy occupancy;
    private final PresenceStore presence;
    private final UserPresenceStore users;
    private final Broker broker;
    private final AppRegistry apps;

    public ConsoleChannels(Occupancy occupancy, PresenceStore presence, UserPresenceStore users, Broker broker,
                           AppRegistry apps, GatewayConfig gateway) {
        this.occupancy = occupancy;
        this.presence = presence;
        this.users = users;
        this.broker = broker;
        this.apps = apps;
    }

    /** The occupied channels whose name starts with {@code prefix} (all when blank), by name. */
    public Uni<List<ChannelRow>> list(String appId, String prefix) {
        requireApp(appId);
        String start = prefix == null ? "" : prefix;
        return occupancy.occupied(appId).chain(counts -> {
            List<String> names = counts.keySet().stream().filter(n -> !n.startsWith("#") && n.startsWith(start)).sorted()
                    .limit(MAX_CHANNELS).toList();
            List<Uni<ChannelRow>> rows = new ArrayList<>();
            for (String name : names) {
                int subscriptions = counts.getOrDefault(name, 0);
                rows.add(Channels.isPresence(name)
                        ? presence.visibleMembers(appId, name).map(m -> new ChannelRow(name, subscriptions, m.size()))
                        : Uni.createFrom().item(new ChannelRow(name, subscriptions, null)));
            }
            return rows.isEmpty() ? Uni.createFrom().item(List.<ChannelRow>of())
                    : Uni.join().all(rows).andFailFast().map(list -> list.stream().sorted(Comparator.comparing(ChannelRow::name)).toList());
        });
    }

    /** One channel: its subscriptions and, for a presence channel, the members as the world sees them. */
    public Uni<ChannelDetail> detail(String appId, String channel) {
        requireApp(appId);
        requireChannel(channel);
        Uni<Integer> subscriptions = occupancy.subscriptionCount(appId, channel);
        if (!Channels.isPresence(channel)) {
            return subscriptions.map(n -> new ChannelDetail(appId, channel, n > 0, n, null, List.of()));
        }
        return subscriptions.chain(n -> presence.visibleMembers(appId, channel).chain(members -> members(appId, members)
                .map(listed -> new ChannelDetail(appId, channel, n > 0, n, members.size(), listed))));
    }

    /** Sends a server event to the channel, as the HTTP API would; completes with its sequence number. */
    public Uni<Long> send(String appId, String channel, String event, String data) {
        requireApp(appId);
        requireChannel(channel);
        if (event.startsWith("pusher:") || event.startsWith("pusher_internal:")) {
            throw ProblemException.invalid("event", "pusher: and pusher_internal: events are the protocol's own");
        }
        return broker.publish(appId, channel, ChannelEvent.server(event, data == null ? "" : data, null))
                .onFailure(EventPublisher.Refused.class).transform(e -> new ProblemException(ProblemType.STORE_UNAVAILABLE,
                        "too many events are waiting to be published; retry"));
    }

    private Uni<List<Member>> members(String appId, Map<String, MemberState> members) {
        List<Uni<Member>> rows = new ArrayList<>();
        members.entrySet().stream().limit(MAX_MEMBERS).forEach(entry -> rows.add(users.snapshot(appId, entry.getKey())
                .map(s -> new Member(entry.getKey(), entry.getValue().info(), s.status().status().wire(),
                        s.status().text(), s.connections(), s.lastSeen()))));
        return rows.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(rows).andFailFast();
    }

    /** Refuses an unknown app (404) or a malformed channel name (400). */
    public void check(String appId, String channel) {
        requireApp(appId);
        requireChannel(channel);
    }

    private void requireApp(String appId) {
        if (apps.byId(appId).isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no app " + appId);
        }
    }

    private void requireChannel(String channel) {
        if (!Channels.isValidName(channel, Integer.MAX_VALUE) || channel.startsWith("#")) {
            throw ProblemException.invalid("channel", "not a channel name");
        }
    }
}
