-- Stores a user's status (versioned) and lists the presence channels to announce it in. The version only grows,
-- from the server clock (max(now ms, previous + 1)), so it keeps growing across restarts, even after Redis
-- lost the state; a channel only takes a status newer than the one it has.
-- KEYS[1] the user's state hash (status, text, expiresAt, v, hidden = decision (see lib.lua's visibility), lastSeen,
-- wv = watch transition)
-- KEYS[2] the user's connection set (app NUL channel NUL connection)
-- KEYS[3] who watches this user (set: app NUL watcher NUL connection)
-- ARGV[1] status, ARGV[2] text ('' for none), ARGV[3] expiresAt (epoch ms, 0 = never), ARGV[4] '' or the expiresAt
-- the stored status must still have (else nothing changes), ARGV[5] the `until` of the decision for the new status
-- (the script adds its version), ARGV[6] '' or the caller's decision for a status it was answered undecided
-- Returns {version, previous status as stored ('' for none), {connection entries}, change, {watchers to tell}, the
-- transition's number, previous expiresAt}: change = 1 when a connected user became seen (online for watchers), -1
-- when they became hidden (offline), 0 otherwise; {} when ARGV[4] did not match; {0, '', {}, 2, {}, 0, 0, previous
-- state as a flat field/value list} when the stored status has no decision (nothing changed; run again with one).
local now = now_ms()
if ARGV[4] ~= '' and (redis.call('HGET', KEYS[1], 'expiresAt') or '0') ~= ARGV[4] then
  return {}
end
local previous_until = user_hidden_until(KEYS[1], ARGV[6])
if previous_until == nil then
  return {0, '', {}, 2, {}, 0, 0, redis.call('HGETALL', KEYS[1])}
end
local previous = redis.call('HGET', KEYS[1], 'status') or ''
local previous_expires = redis.call('HGET', KEYS[1], 'expiresAt') or '0'
local was_hidden = hidden_at(previous_until, now)
local hides = tonumber(ARGV[5]) ~= 0
local connections = redis.call('SMEMBERS', KEYS[2])
if hides and not was_hidden and #connections > 0 then
  -- becoming hidden looks like leaving
  redis.call('HSET', KEYS[1], 'lastSeen', string.format('%.0f', now))
end
local version = math.max(now, (tonumber(redis.call('HGET', KEYS[1], 'v') or '0') or 0) + 1)
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'text', ARGV[2], 'expiresAt', ARGV[3], 'v', string.format('%.0f', version),
  'hidden', decision(tonumber(ARGV[5]), version))
local change = 0
if #connections > 0 then
  if was_hidden and not hides then
    change = 1
  elseif not was_hidden and hides then
    change = -1
  end
end
local told = {{}, 0}
if change ~= 0 then
  told = watch_transition(KEYS[1], KEYS[3], now)
end
return {version, previous, connections, change, told[1], told[2], previous_expires}
