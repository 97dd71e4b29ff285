-- Sets a user's status and answers where it must be announced.
-- KEYS[1] the user's state hash (status, text, expiresAt, lastSeen)
-- KEYS[2] the user's connection set (app NUL channel NUL connection)
-- ARGV[1] status (online|away|busy|invisible), ARGV[2] text ('' for none), ARGV[3] expiresAt (epoch ms, 0 = never),
-- ARGV[4] now (epoch ms), ARGV[5] '' or the expiresAt the stored status must still have (else nothing changes)
-- Returns {previous status, as in effect now (an expired one counts as online), connection entries...},
-- or {} when ARGV[5] did not match.
local now = tonumber(ARGV[4])
if ARGV[5] ~= '' and (redis.call('HGET', KEYS[1], 'expiresAt') or '0') ~= ARGV[5] then
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
  redis.call('HSET', KEYS[1], 'lastSeen', ARGV[4])
end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'text', ARGV[2], 'expiresAt', ARGV[3])
local result = {previous}
for i = 1, #connections do
  result[#result + 1] = connections[i]
end
return result
