-- Records one connection of a user (a presence connection in any channel, or a signed-in connection, on any
-- gateway) and reads what a join needs to know about the user: their status and who blocked them; when this is
-- the user's first connection anywhere and they are visible, they just came online for those who watch them.
-- A user with no stored status yet starts with the given one (what their signed user_info suggests, or what a
-- re-registering gateway last knew).
-- KEYS[1] the user's connection set (app NUL channel NUL connection)
-- KEYS[2] the user's state hash (status, text, expiresAt, v = status version, lastSeen, wv = watch transition)
-- KEYS[3] the users who blocked this user (set)
-- KEYS[4] who watches this user (set: app NUL watcher NUL connection)
-- ARGV[1] the connection entry, ARGV[2] initial status, ARGV[3] initial text, ARGV[4] initial expiresAt,
-- ARGV[5] initial version
-- Returns {state hash as a flat field/value list, blockers, watchers to tell the user came online (else empty),
-- the transition's number (0 when none)}.
local added = redis.call('SADD', KEYS[1], ARGV[1]) == 1
if redis.call('HEXISTS', KEYS[2], 'status') == 0 then
  redis.call('HSET', KEYS[2], 'status', ARGV[2], 'text', ARGV[3], 'expiresAt', ARGV[4], 'v', ARGV[5])
end
local online = {{}, 0}
if added and redis.call('SCARD', KEYS[1]) == 1 then
  local now = now_ms()
  if not invisible_now(KEYS[2], now) then
    online = watch_transition(KEYS[2], KEYS[4], now)
  end
end
return {redis.call('HGETALL', KEYS[2]), redis.call('SMEMBERS', KEYS[3]), online[1], online[2]}
