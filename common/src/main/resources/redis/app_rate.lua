-- A cluster-wide budget per app and second: counts n more requests (or events) in the current second's window and
-- refuses them when that would pass the limit (then they are not counted).
-- KEYS[1] the app's counter of this kind and second
-- ARGV[1] n, ARGV[2] limit
-- returns 1 when within the budget, 0 when over it
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local n = tonumber(ARGV[1])
if count + n > tonumber(ARGV[2]) then
  return 0
end
if redis.call('INCRBY', KEYS[1], n) == n then
  redis.call('PEXPIRE', KEYS[1], 2000)
end
return 1
