-- Puts one signed-in connection on a watched user's watchers and reads whether the user is online for them now:
-- connected anywhere and not invisible. Reading and registering in one step means every later transition of the
-- user reaches the connection, and none before it is missed: the answer covers those.
-- KEYS[1] who watches the user (set: app NUL watcher NUL connection)
-- KEYS[2] the user's connection set
-- KEYS[3] the user's state hash (status, expiresAt, wv = number of the last watch transition)
-- ARGV[1] the watcher entry (app NUL watcher NUL connection)
-- Returns {1 when online else 0, number of the last transition}. A user without one is given one from the clock:
-- after Redis lost its data, the answer is still newer than anything a gateway saw before.
redis.call('SADD', KEYS[1], ARGV[1])
local now = now_ms()
local online = 0
if redis.call('SCARD', KEYS[2]) > 0 and not invisible_now(KEYS[3], now) then
  online = 1
end
local number = tonumber(redis.call('HGET', KEYS[3], 'wv') or '')
if not number then
  number = now
  redis.call('HSET', KEYS[3], 'wv', string.format('%.0f', number))
end
return {online, number}
