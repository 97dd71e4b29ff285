-- Adds one connection of a user to a presence channel, decides atomically whether it is the user's first, and
-- if so announces the member (with the next sequence number) in the same step.
-- KEYS[1] connections hash (connection id -> user id)
-- KEYS[2] users hash (user id -> number of connections)
-- KEYS[3] user_info hash (user id -> user_info JSON, from the user's first connection)
-- KEYS[4] status hash (user id -> status JSON with its version "v")
-- KEYS[5] pending status hash (user id -> status JSON a status change left for a join still in flight)
-- KEYS[6] sequence counter
-- KEYS[7] departed hash (user id -> when a reaper removed them; see leave.lua)
-- KEYS[8] the channel's departures (see lib.lua's webhook pairs)
-- KEYS[9] decisions hash (user id -> whether the status, stored or pending, hides the member; see lib.lua's visibility)
-- ARGV[1] connection id, ARGV[2] user id, ARGV[3] user_info JSON, ARGV[4] status JSON, ARGV[5] member cap,
-- ARGV[6] bus channel, ARGV[7] counter TTL (ms), ARGV[8] '1' when a gateway registers a connection it held all along
-- again (Redis lost its data, or the gateway was reaped): the world is told (seen = 1) only if the member's
-- departure had been announced, that is only after a reap; ARGV[9] how long a departure is remembered (ms),
-- ARGV[10] the decision for ARGV[4], ARGV[11] '' or the caller's decision for a status it was answered undecided
-- Returns {1, seq, status JSON, seen, at, follows} for the user's first connection (announced as seq; seen = 1 when
-- the world sees the member, i.e. a member_added webhook is due, decided at `at` (server clock, microseconds) after
-- the departure at `follows`, 0 when none is remembered), {0, seq, status JSON, 0} when the user was already present
-- or the connection already joined (seq: the channel's current number), {-1} when the channel is full, {2, 0, status
-- JSON} when the pending status the join would take has no decision (nothing changed; run again with one).
local ttl = tonumber(ARGV[7])
local user = ARGV[2]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return {0, current_seq(KEYS[6], ttl), redis.call('HGET', KEYS[4], user) or ARGV[4], 0}
end
local present = redis.call('HEXISTS', KEYS[2], user) == 1
if not present and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[5]) then
  return {-1}
end
local status = ARGV[4]
local hidden_until = 0
if not present then
  local pending = redis.call('HGET', KEYS[5], user)
  local stored = redis.call('HGET', KEYS[9], user)
  if pending and version_of(pending) > version_of(status) then
    status = pending
    hidden_until = decided(version_of(status), stored, ARGV[11])
  else
    -- the given status: the caller's decision is its own; a stored one of the same version may belong to another
    -- status (an expired one is replaced without a new version), so it only counts when the caller gave none
    hidden_until = decided(version_of(status), ARGV[10], stored, ARGV[11])
  end
  if hidden_until == nil then
    return {2, 0, status}
  end
  if pending then
    redis.call('HDEL', KEYS[5], user)
  end
end
redis.call('HSET', KEYS[1], ARGV[1], user)
redis.call('HINCRBY', KEYS[2], user, 1)
if present then
  return {0, current_seq(KEYS[6], ttl), redis.call('HGET', KEYS[4], user) or ARGV[4], 0}
end
local departed = redis.call('HDEL', KEYS[7], user) == 1
redis.call('HSET', KEYS[3], user, ARGV[3])
redis.call('HSET', KEYS[4], user, status)
redis.call('HSET', KEYS[9], user, decision(hidden_until, version_of(status)))
local seq = next_seq(KEYS[6], ttl)
redis.call(BUS_PUBLISH, ARGV[6], member_event(seq, user, ARGV[3], status))
local seen = hidden_until == 0 and (ARGV[8] ~= '1' or departed)
if not seen then
  return {1, seq, status, 0, 0, 0}
end
return {1, seq, status, 1, now_us(), take_departure(KEYS[8], user)}
