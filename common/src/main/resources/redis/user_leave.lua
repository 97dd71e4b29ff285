-- Forgets one presence connection of a user; when it was their last one anywhere, records when they were last seen.
-- KEYS[1] the user's connection set (app NUL channel NUL connection)
-- KEYS[2] the user's state hash (status, text, expiresAt, lastSeen)
-- ARGV[1] the connection entry, ARGV[2] now (epoch ms)
-- Returns the number of connections the user still has (0: now offline), or -1 when the entry was not recorded.
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then
  return -1
end
local left = redis.call('SCARD', KEYS[1])
if left == 0 then
  local status = redis.call('HGET', KEYS[2], 'status')
  local expires = tonumber(redis.call('HGET', KEYS[2], 'expiresAt') or '0')
  local invisible = status == 'invisible' and (expires == 0 or expires > tonumber(ARGV[2]))
  -- an invisible user was last seen when they went invisible, not now
  if not invisible then
    redis.call('HSET', KEYS[2], 'lastSeen', ARGV[2])
  end
end
return left
