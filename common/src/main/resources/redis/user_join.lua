-- Records one connection of a user (a presence connection in any channel, or a signed-in connection, on any
-- gateway) and reads what a join needs to know about the user: their status and who blocked them; when this is
-- the user's first connection anywhere and their status does not hide them, they just came online for those who
-- watch them. A user with no stored status yet starts with the given one (what their signed user_info suggests, or
-- what a re-registering gateway last knew).
-- KEYS[1] the user's connection set (app NUL channel NUL connection)
-- KEYS[2] the user's state hash (status, text, expiresAt, v = status version, hidden = decision (see lib.lua's
-- visibility), lastSeen, wv = watch transition)
-- KEYS[3] the users who blocked this user (set)
-- KEYS[4] who watches this user (set: app NUL watcher NUL connection)
-- ARGV[1] the connection entry, ARGV[2] initial status, ARGV[3] initial text, ARGV[4] initial expiresAt,
-- ARGV[5] initial version, ARGV[6] the `until` of the decision for the initial status, ARGV[7] '' or the caller's
-- decision for a status it was answered undecided
-- Returns {state hash as a flat field/value list, blockers, watchers to tell the user came online (else empty),
-- the transition's number (0 when none), change}: change = 1 when this is the user's first connection anywhere and
-- they are seen (online), -1 their first but hidden, 0 not their first; {state, {}, {}, 0, 2} when it is their first
-- and the stored status has no decision (nothing changed; run again with one).
local first = redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 and redis.call('SCARD', KEYS[1]) == 0
local hidden_until = tonumber(ARGV[6])
if redis.call('HEXISTS', KEYS[2], 'status') == 1 then
  if first then
    hidden_until = user_hidden_until(KEYS[2], ARGV[7])
    if hidden_until == nil then
      return {redis.call('HGETALL', KEYS[2]), {}, {}, 0, 2}
    end
  end
else
  redis.call('HSET', KEYS[2], 'status', ARGV[2], 'text', ARGV[3], 'expiresAt', ARGV[4], 'v', ARGV[5],
    'hidden', decision(hidden_until, tonumber(ARGV[5])))
end
redis.call('SADD', KEYS[1], ARGV[1])
local online = {{}, 0}
local change = 0
if first then
  local now = now_ms()
  if hidden_at(hidden_until, now) then
    change = -1
  else
    change = 1
    online = watch_transition(KEYS[2], KEYS[4], now)
  end
end
return {redis.call('HGETALL', KEYS[2]), redis.call('SMEMBERS', KEYS[3]), online[1], online[2], change}
