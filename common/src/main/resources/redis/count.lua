-- Adjusts one node's subscriber count of a channel, dropping the field at zero so HGETALL lists occupied channels only.
-- KEYS[1] the node's subscription hash (app NUL channel -> local subscriber count)
-- ARGV[1] field (app NUL channel), ARGV[2] delta (+1 or -1)
-- Returns the new count.
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], tonumber(ARGV[2]))
if n <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 0
end
return n
