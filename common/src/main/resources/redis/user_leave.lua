-- Forgets one connection of a user; when it was their last one anywhere, records when they were last seen and
-- tells who watches them that they went offline (unless the user was invisible, and so offline to everyone already).
-- KEYS[1] the user's connection set (app NUL channel NUL connection)
-- KEYS[2] the user's state hash (status, text, expiresAt, lastSeen, wv = watch transition)
-- KEYS[3] who watches this user (set: app NUL watcher NUL connection)
-- ARGV[1] the connection entry, ARGV[2] now (epoch ms)
-- Returns {connections left (0: now offline; -1: the entry was not recorded), watchers to tell the user went
-- offline, the transition's number (0 when none)}.
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then
  return {-1, {}, 0}
end
local left = redis.call('SCARD', KEYS[1])
local offline = {{}, 0}
-- an invisible user was last seen when they went invisible, not now
if left == 0 and not invisible_now(KEYS[2], tonumber(ARGV[2])) then
  redis.call('HSET', KEYS[2], 'lastSeen', ARGV[2])
  offline = watch_transition(KEYS[2], KEYS[3], tonumber(ARGV[2]))
end
return {left, offline[1], offline[2]}
