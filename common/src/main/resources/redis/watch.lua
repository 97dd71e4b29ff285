-- Puts one signed-in connection on a watched user's watchers and reads whether the user is online for them now:
-- connected anywhere and not hidden by their status. Reading and registering in one step means every later transition
-- of the user reaches the connection, and none before it is missed: the answer covers those.
-- KEYS[1] who watches the user (set: app NUL watcher NUL connection)
-- KEYS[2] the user's connection set
-- KEYS[3] the user's state hash (v, hidden = decision (see lib.lua's visibility), wv = number of the last watch
-- transition)
-- ARGV[1] the watcher entry (app NUL watcher NUL connection), ARGV[2] '' or the caller's decision for a status it was
-- answered undecided
-- Returns {1 when online else 0, number of the last transition}. A user without one is given one from the clock:
-- after Redis lost its data, the answer is still newer than anything a gateway saw before. {2, 0, state hash as a flat
-- field/value list} when the user is connected and their stored status has no decision (nothing changed; run again
-- with one).
local now = now_ms()
local online = 0
if redis.call('SCARD', KEYS[2]) > 0 then
  local hidden_until = user_hidden_until(KEYS[3], ARGV[2])
  if hidden_until == nil then
    return {2, 0, redis.call('HGETALL', KEYS[3])}
  end
  if not hidden_at(hidden_until, now) then
    online = 1
  end
end
redis.call('SADD', KEYS[1], ARGV[1])
local number = tonumber(redis.call('HGET', KEYS[3], 'wv') or '')
if not number then
  number = now
  redis.call('HSET', KEYS[3], 'wv', string.format('%.0f', number))
end
return {online, number}
