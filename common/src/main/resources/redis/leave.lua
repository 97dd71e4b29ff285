-- Removes one connection from a presence channel, decides atomically whether it was the user's last, and if so
-- announces the departure (with the next sequence number) in the same step.
-- KEYS[1] connections hash (connection id -> user id)
-- KEYS[2] users hash (user id -> number of connections)
-- KEYS[3] user_info hash (user id -> user_info JSON)
-- KEYS[4] status hash (user id -> status JSON)
-- KEYS[5] sequence counter
-- KEYS[6] departed hash (user id -> when their departure was announced by a reaper, epoch ms; kept an hour)
-- KEYS[7] the channel's departures (see lib.lua's webhook pairs)
-- KEYS[8] decisions hash (user id -> whether the stored status hides the member; see lib.lua's visibility)
-- ARGV[1] connection id, ARGV[2] bus channel, ARGV[3] counter TTL (ms), ARGV[4] '1' when a reaper removes the
-- connection of a dead gateway (the departure is remembered, so a re-registration of that gateway is announced),
-- ARGV[5] how long a departure is remembered for webhook pairs (ms), ARGV[6] '' or the caller's decision for a status
-- it was answered undecided
-- Returns {} when the connection was not in the channel, {user id, 0} when the user still has a connection here,
-- {user id, 1, seq, seen, at} when it was their last (the departure was announced as seq; seen = 1 when the world saw
-- the member, i.e. a member_removed webhook is due, decided at `at`: server clock, microseconds), {user id, 2, status
-- JSON} when it was their last but their stored status has no decision (nothing changed; run again with one).
local user = redis.call('HGET', KEYS[1], ARGV[1])
if not user then
  return {}
end
local seen = 0
if tonumber(redis.call('HGET', KEYS[2], user) or '0') <= 1 then
  local status = redis.call('HGET', KEYS[4], user)
  if status then
    local hidden_until = decided(version_of(status), redis.call('HGET', KEYS[8], user), ARGV[6])
    if hidden_until == nil then
      return {user, 2, status}
    end
    seen = hidden_until == 0 and 1 or 0
  end
end
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HINCRBY', KEYS[2], user, -1) > 0 then
  return {user, 0}
end
redis.call('HDEL', KEYS[2], user)
redis.call('HDEL', KEYS[3], user)
redis.call('HDEL', KEYS[4], user)
redis.call('HDEL', KEYS[8], user)
if ARGV[4] == '1' then
  local t = redis.call('TIME')
  redis.call('HSET', KEYS[6], user, t[1])
  redis.call('PEXPIRE', KEYS[6], 3600000)
end
local seq = next_seq(KEYS[5], tonumber(ARGV[3]))
redis.call(BUS_PUBLISH, ARGV[2], member_event(seq, user))
local at = 0
if seen == 1 then
  at = now_us()
  note_departure(KEYS[7], user, at, tonumber(ARGV[5]))
end
return {user, 1, seq, seen, at}
