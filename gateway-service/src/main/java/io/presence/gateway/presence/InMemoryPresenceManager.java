package io.presence.gateway.presence;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence held in one process's memory: the reference implementation of the contract, correct for a single
 * gateway. The gateway runs {@link RedisPresenceManager}, which shares presence between instances and overlays
 * each user's stored status; here a member's status is whatever its user_info says.
 */
public class InMemoryPresenceManager implements PresenceManager {

    /** One channel's members; guarded by its own monitor. */
    private static final class Roster {
        final Map<String, Member> members = new LinkedHashMap<>();
        final Map<String, Set<String>> connectionsOfUser = new HashMap<>();
        final Map<String, String> userOfConnection = new HashMap<>();
    }

    private final Map<String, Roster> channels = new ConcurrentHashMap<>();

    @Override
    public Uni<Join> join(String appId, String channel, String connectionId, Member member, int cap) {
        try {
            return Uni.createFrom().item(joinNow(appId, channel, connectionId, member, cap));
        } catch (ChannelFull e) {
            return Uni.createFrom().failure(e);
        }
    }

    @Override
    public Uni<Optional<Leave>> leave(String appId, String channel, String connectionId) {
        return Uni.createFrom().item(leaveNow(appId + '\u0000' + channel, connectionId));
    }

    @Override
    public Uni<List<Member>> members(String appId, String channel) {
        return Uni.createFrom().item(membersNow(appId + '\u0000' + channel));
    }

    @Override
    public Uni<Integer> userCount(String appId, String channel) {
        return Uni.createFrom().item(membersNow(appId + '\u0000' + channel).size());
    }

    private Join joinNow(String appId, String channel, String connectionId, Member member, int cap) {
        String key = appId + '\u0000' + channel;
        while (true) {
            Roster roster = channels.computeIfAbsent(key, c -> new Roster());
            synchronized (roster) {
                if (channels.get(key) != roster) {
                    continue; // a last leave dropped this roster before we locked it: take the current one
                }
                if (roster.userOfConnection.containsKey(connectionId)) {
                    return new Join(false, visible(roster.members.values()), roster.members.get(member.userId()));
                }
                boolean first = !roster.members.containsKey(member.userId());
                if (first && roster.members.size() >= cap) {
                    if (roster.members.isEmpty()) {
                        channels.remove(key, roster);
                    }
                    throw new ChannelFull(channel, cap);
                }
                if (first) {
                    roster.members.put(member.userId(), member);
                }
                roster.connectionsOfUser.computeIfAbsent(member.userId(), u -> new LinkedHashSet<>()).add(connectionId);
                roster.userOfConnection.put(connectionId, member.userId());
                return new Join(first, visible(roster.members.values()), roster.members.get(member.userId()));
            }
        }
    }

    private Optional<Leave> leaveNow(String channel, String connectionId) {
        Roster roster = channels.get(channel);
        if (roster == null) {
            return Optional.empty();
        }
        synchronized (roster) {
            String userId = roster.userOfConnection.remove(connectionId);
            if (userId == null) {
                return Optional.empty();
            }
            Set<String> connections = roster.connectionsOfUser.get(userId);
            connections.remove(connectionId);
            boolean last = connections.isEmpty();
            boolean visible = !roster.members.get(userId).invisible();
            if (last) {
                roster.connectionsOfUser.remove(userId);
                roster.members.remove(userId);
            }
            if (roster.members.isEmpty()) {
                channels.remove(channel, roster);
            }
            return Optional.of(new Leave(userId, last, visible));
        }
    }

    private List<Member> membersNow(String channel) {
        Roster roster = channels.get(channel);
        if (roster == null) {
            return List.of();
        }
        synchronized (roster) {
            return visible(roster.members.values());
        }
    }

    private static List<Member> visible(Collection<Member> members) {
        List<Member> visible = new ArrayList<>();
        for (Member m : members) {
            if (!m.invisible()) {
                visible.add(m);
            }
        }
        return visible;
    }

}
