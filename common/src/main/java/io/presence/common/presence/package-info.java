/**
 * Presence in Redis (who is in which channel, with which status), and what happens to it when a gateway dies, stalls,
 * or Redis loses its data. The defaults below are those of {@link io.presence.common.store.PresenceStoreConfig}
 * ({@code PRESENCE_STORE_*}) and {@link io.presence.common.event.EventsConfig}; measured timings are in
 * {@code docs/events-and-faults.md}.
 *
 * <h2>The lease: how a gateway says it is alive</h2>
 * Every gateway holds a lease in Redis, a key that lives {@code lease-ttl} (3 s) and is renewed every
 * {@code lease-renewal} (250 ms) on a thread of its own, so a busy event loop cannot starve it
 * ({@code gateway-service/.../node/NodeLease.java}, through {@link io.presence.common.presence.NodeLeases#renew},
 * which runs {@code redis/lease.lua}). Each presence connection a gateway joins is recorded with its node
 * ({@link io.presence.common.presence.ChannelPresence#join}, {@code redis/join.lua}), so a reaper knows what to remove.
 *
 * <h2>A gateway dies ({@code kill -9}, the machine is gone, it is cut off from Redis)</h2>
 * <ol>
 * <li>Nobody notices at once: its lease simply stops being renewed and expires {@code lease-ttl} after the last
 * renewal, that is 2.75 to 3 s after the death.</li>
 * <li>presence-service's reaper ({@code presence-service/.../service/NodeReaper.java}) looks every
 * {@code reaper-interval} (250 ms) for expired leases ({@link io.presence.common.presence.NodeLeases#expired}) and
 * claims each dead node for itself ({@link io.presence.common.presence.NodeLeases#claim}, {@code redis/reap_claim.lua}).
 * The claim and the lease share a hash slot, so a node can never take its lease back in the middle of its own reap.
 * A replica that dies mid-reap loses its claim after 15 s and another finishes the reap.</li>
 * <li>The reaper removes each of the node's connections with the same leave a gateway uses
 * ({@link io.presence.common.presence.ChannelPresence#reap}, {@code redis/leave.lua}). A user left with no connection
 * in a channel is announced gone there, with the channel's next sequence number: subscribers on every other gateway
 * get one {@code pusher_internal:member_removed}, and a {@code member_removed} webhook is queued when the world had
 * seen the member (not for invisible ones). A leave that finds its connection already gone announces nothing, so no
 * departure is announced twice. The node's watchlists, channel subscriber counts (a {@code channel_vacated} webhook
 * where none is left) and app connection counts are reaped in the same pass.</li>
 * <li>The dead gateway's own clients see their socket drop and reconnect (pusher-js does so by itself) to another
 * gateway, where they join again like any new member.</li>
 * </ol>
 * In all: a dead gateway's members go between {@code lease-ttl} minus {@code lease-renewal} and {@code lease-ttl}
 * plus {@code reaper-interval} after the death, plus the reap itself (3.5 to 4.8 s measured for 200 users).
 *
 * <h2>A gateway stalls (a GC pause, SIGSTOP, a CPU-starved container)</h2>
 * A stall shorter than {@code lease-ttl} minus {@code lease-renewal} (about 2.7 s) harms nobody: the next renewal
 * finds the lease alive. A longer one lets the lease expire and the gateway is reaped as if dead (its members are
 * announced gone, as above). When it resumes, its renewal finds the lease gone: while a reaper still holds the claim,
 * {@code lease.lua} answers "being reaped" and the gateway waits for the next renewal
 * ({@link io.presence.common.presence.NodeLeases.Renewal#BEING_REAPED}); then it takes the lease again
 * ({@link io.presence.common.presence.NodeLeases.Renewal#TAKEN}) and registers every connection it still holds
 * again ({@code gateway-service/.../ws/Rejoin.java} wires this to {@link io.presence.common.presence.ChannelPresence#rejoin},
 * the signed-in users and the app connection counts). Because the reaper remembered the departures, each member who
 * comes back is announced once with {@code member_added} (and a {@code member_added} webhook). Its clients keep
 * their sockets and see nothing but those events.
 *
 * <h2>Redis loses its data (restarted without persistence, a failover to a replica that lagged)</h2>
 * Live gateways notice the missing lease at once when their pub/sub connection drops and comes back (the bus's
 * "restored" callback of the {@code Broker}, {@code gateway-service/.../events/Broker.java}, used by {@code ws/Rejoin.java}, renews at once), else at the next
 * renewal. The lease is taken again ({@code TAKEN}) and every connection is registered again, each member as it was;
 * since no reaper announced them gone, nobody is told anything. A gateway repairing a channel whose sequence went
 * back finds members missing meanwhile and waits {@code repair-removal-grace} (5 s,
 * {@link io.presence.common.event.EventsConfig#repairRemovalGrace}) before announcing such a departure, time in which
 * re-registering members come back ({@code gateway-service/.../hub/}). No socket is closed, and after a pass that
 * could not reach Redis the reaper waits one {@code lease-ttl}, so live gateways renew before anyone is taken for
 * dead.
 *
 * <h2>A gateway is stopped (SIGTERM)</h2>
 * It closes every socket with close code 4200 ({@code gateway-service/.../ws/Shutdown.java}), so clients reconnect at
 * once to another instance; the closed sockets leave their channels as usual ({@code member_removed} for users with
 * no other connection), and the lease simply expires.
 */
package io.presence.common.presence;
