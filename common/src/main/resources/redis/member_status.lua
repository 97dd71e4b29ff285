-- Puts a user's new status into one presence channel and announces it there, unless the channel already has a
-- newer one. When the user is not (yet) in the channel, the status waits in the pending hash for the join that
-- is on its way (a join reads it), so a status change racing with a join is never lost.
-- KEYS[1] users hash (user id -> number of connections)
-- KEYS[2] user_info hash (user id -> user_info JSON)
-- KEYS[3] status hash (user id -> status JSON with its version "v")
-- KEYS[4] pending status hash (user id -> status JSON)
-- KEYS[5] sequence counter
-- KEYS[6] the channel's departures (see lib.lua's webhook pairs)
-- KEYS[7] decisions hash (user id -> whether the status, stored or pending, hides the member; see lib.lua's visibility)
-- ARGV[1] user id, ARGV[2] status JSON, ARGV[3] bus channel, ARGV[4] counter TTL (ms), ARGV[5] pending TTL (ms),
-- ARGV[6] how long a departure is remembered for webhook pairs (ms), ARGV[7] the decision for ARGV[2], ARGV[8] '' or
-- the caller's decision for a status it was answered undecided
-- Returns {1, seq, change, at, follows} (stored and announced as seq; change: 1 when the world sees the member now and
-- did not before, -1 the other way round, 0 when that stayed the same; for a change, at = when (server clock,
-- microseconds), and follows = for 1, the departure it ends, 0 when none is remembered), {0, 0, 0} (the channel has
-- this version or a newer one), {2, 0, 0} (left pending), {3, 0, 0, status JSON} (the stored status it replaces has no
-- decision: nothing changed; run again with one).
local user = ARGV[1]
local version = version_of(ARGV[2])
local hidden_until = decided(version, ARGV[7])
if redis.call('HEXISTS', KEYS[1], user) == 0 then
  local pending = redis.call('HGET', KEYS[4], user)
  if not pending or version_of(pending) < version then
    redis.call('HSET', KEYS[4], user, ARGV[2])
    redis.call('HSET', KEYS[7], user, ARGV[7])
  end
  redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[5]))
  return {2, 0, 0}
end
local current = redis.call('HGET', KEYS[3], user)
if current and version_of(current) >= version then
  return {0, 0, 0}
end
local was_seen = false
if current then
  local was_until = decided(version_of(current), redis.call('HGET', KEYS[7], user), ARGV[8])
  if was_until == nil then
    return {3, 0, 0, current}
  end
  was_seen = was_until == 0
end
redis.call('HSET', KEYS[3], user, ARGV[2])
redis.call('HSET', KEYS[7], user, ARGV[7])
local seq = next_seq(KEYS[5], tonumber(ARGV[4]))
redis.call(BUS_PUBLISH, ARGV[3], member_event(seq, user, redis.call('HGET', KEYS[2], user) or '{}', ARGV[2]))
local seen = hidden_until == 0
local change = 0
local at = 0
local follows = 0
if seen and not was_seen then
  change = 1
  at = now_us()
  follows = take_departure(KEYS[6], user)
elseif was_seen and not seen then
  change = -1
  at = now_us()
  note_departure(KEYS[6], user, at, tonumber(ARGV[6]))
end
return {1, seq, change, at, follows}
