package io.presence.gateway.presence;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence held in this gateway's memory: correct for one gateway instance. Several instances need the Redis
 * implementation (shared state, node leases, the reaper), which replaces this bean.
 */
@ApplicationScoped
public class InMemoryPresenceManager implements PresenceManager {

    /** One channel's members; guarded by its own monitor. */
    private static final class Roster {
        final Map<String, Member> members = new LinkedHashMap<>();
        final Map<String, Set<String>> connectionsOfUser = new HashMap<>();
        final Map<String, String> userOfConnection = new HashMap<>();
    }

    private final Map<String, Roster> channels = new ConcurrentHashMap<>();

    @Override
    public Join join(String channel, String connectionId, Member member, int cap) throws ChannelFull {
        while (true) {
            Roster roster = channels.computeIfAbsent(channel, c -> new Roster());
            synchronized (roster) {
                if (channels.get(channel) != roster) {
                    continue; // a last leave dropped this roster before we locked it: take the current one
                }
                if (roster.userOfConnection.containsKey(connectionId)) {
                    return new Join(false, List.copyOf(roster.members.values()));
                }
                boolean first = !roster.members.containsKey(member.userId());
                if (first && roster.members.size() >= cap) {
                    if (roster.members.isEmpty()) {
                        channels.remove(channel, roster);
                    }
                    throw new ChannelFull(channel, cap);
                }
                if (first) {
                    roster.members.put(member.userId(), member);
                }
                roster.connectionsOfUser.computeIfAbsent(member.userId(), u -> new LinkedHashSet<>()).add(connectionId);
                roster.userOfConnection.put(connectionId, member.userId());
                return new Join(first, List.copyOf(roster.members.values()));
            }
        }
    }

    @Override
    public Optional<Leave> leave(String channel, String connectionId) {
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
            if (last) {
                roster.connectionsOfUser.remove(userId);
                roster.members.remove(userId);
            }
            if (roster.members.isEmpty()) {
                channels.remove(channel, roster);
            }
            return Optional.of(new Leave(userId, last));
        }
    }

    @Override
    public List<Member> members(String channel) {
        Roster roster = channels.get(channel);
        if (roster == null) {
            return List.of();
        }
        synchronized (roster) {
            return new ArrayList<>(roster.members.values());
        }
    }

    @Override
    public int userCount(String channel) {
        Roster roster = channels.get(channel);
        if (roster == null) {
            return 0;
        }
        synchronized (roster) {
            return roster.members.size();
        }
    }
}
