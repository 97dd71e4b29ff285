-- Sets a user's status, gives it a new version, and answers where it must be announced.
-- Versions come from the server clock (at least one above the previous), so they keep growing even after Redis
-- lost the state; a channel only takes a status newer than the one it has.
-- KEYS[1] the user's state hash (status, text, expiresAt, v, lastSeen)
-- KEYS[2] the user's connection set (app NUL channel NUL connection)
-- ARGV[1] status (online|away|busy|invisible), ARGV[2] text ('' for none), ARGV[3] expiresAt (epoch ms, 0 = never),
-- ARGV[4] '' or the expiresAt the stored status must still have (else nothing changes)
-- Returns {version, previous status as in effect now (an expired one counts as online), connection entries...},
-- or {} when ARGV[4] did not match.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
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
local result = {version, previous}
for i = 1, #connections do
  result[#result + 1] = connections[i]
end
return result
