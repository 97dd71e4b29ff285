-- Forgets one connection of a user; when it was their last one anywhere, records when they were last seen and
-- tells who watches them that they went offline (unless their status hid them, and so they were offline to everyone
-- already).
-- KEYS[1] the user's connection set (app NUL channel NUL connection)
-- KEYS[2] the user's state hash (status, expiresAt, v, hidden = decision (see lib.lua's visibility), lastSeen,
-- wv = watch transition)
-- KEYS[3] who watches this user (set: app NUL watcher NUL connection)
-- ARGV[1] the connection entry, ARGV[2] now (epoch ms), ARGV[3] '' or the caller's decision for a status it was
-- answered undecided
-- Returns {connections left (0: now offline; -1: the entry was not recorded), watchers to tell the user went
-- offline, the transition's number (0 when none), change}: change = -1 when the user went offline now, 1 when their
-- last connection went while they were hidden (offline already), 0 otherwise; {1, {}, 0, 2, state hash as a flat
-- field/value list} when it is their last connection and the stored status has no decision (nothing changed; run
-- again with one).
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
  return {-1, {}, 0, 0}
end
local now = tonumber(ARGV[2])
local hidden_until = 0
if redis.call('SCARD', KEYS[1]) == 1 then
  hidden_until = user_hidden_until(KEYS[2], ARGV[3])
  if hidden_until == nil then
    return {1, {}, 0, 2, redis.call('HGETALL', KEYS[2])}
  end
end
redis.call('SREM', KEYS[1], ARGV[1])
local left = redis.call('SCARD', KEYS[1])
local offline = {{}, 0}
local change = 0
if left == 0 then
  if hidden_at(hidden_until, now) then
    -- a hidden user was last seen when they became hidden, not now
    change = 1
  else
    change = -1
    redis.call('HSET', KEYS[2], 'lastSeen', ARGV[2])
    offline = watch_transition(KEYS[2], KEYS[3], now)
  end
end
return {left, offline[1], offline[2], change}
