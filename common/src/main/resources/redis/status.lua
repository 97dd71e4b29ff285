-- Stores a user's status (versioned) and lists the presence channels to announce it in. The version only grows,
-- from the server clock (max(now ms, previous + 1)), so it keeps growing across restarts, even after Redis
-- lost the state; a channel only takes a status newer than the one it has.
-- KEYS[1] the user's state hash (status, text, expiresAt, v, lastSeen, wv = watch transition)
-- KEYS[2] the user's connection set (app NUL channel NUL connection)
-- KEYS[3] who watches this user (set: app NUL watcher NUL connection)
-- ARGV[1] status (online|away|busy|invisible), ARGV[2] text ('' for none), ARGV[3] expiresAt (epoch ms, 0 = never),
-- ARGV[4] '' or the expiresAt the stored status must still have (else nothing changes)
-- Returns {version, previous status as in effect now (an expired one counts as online), {connection entries},
-- change, {watchers to tell}, the transition's number}: change = 1 when a connected user became visible (online
-- for watchers), -1 when they went invisible (offline), 0 otherwise; or {} when ARGV[4] did not match.
local now = now_ms()
if ARGV[4] ~= '' and (redis.call('HGET', KEYS[1], 'expiresAt') or '0') ~= ARGV[4] then
  return {}
end
local previous = redis.call('HGET', KEYS[1], 'status') or 'online'
local expires = tonumber(redis.call('HGET', KEYS[1], 'expiresAt') or '0')
if expires ~= 0 and expires <= now then
  previous = 'online'
end
local connections = redis.call('SMEMBERS', KEYS[2])
if ARGV[1] == 'invisible' and previous ~= 'invisible' and #connections > 0 then
  -- going invisible looks like leaving
  redis.call('HSET', KEYS[1], 'lastSeen', string.format('%.0f', now))
end
local version = math.max(now, (tonumber(redis.call('HGET', KEYS[1], 'v') or '0') or 0) + 1)
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'text', ARGV[2], 'expiresAt', ARGV[3], 'v', string.format('%.0f', version))
local change = 0
if #connections > 0 then
  if previous == 'invisible' and ARGV[1] ~= 'invisible' then
    change = 1
  elseif previous ~= 'invisible' and ARGV[1] == 'invisible' then
    change = -1
  end
end
local told = {{}, 0}
if change ~= 0 then
  told = watch_transition(KEYS[1], KEYS[3], now)
end
return {version, previous, connections, change, told[1], told[2]}
