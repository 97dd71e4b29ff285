-- One counter of a fixed window (the login throttle's): counts an attempt, or gives one back, and answers the count
-- and what is left of the window in the same step, so attempts made at once each see a count of their own.
-- KEYS[1] the counter
-- ARGV[1] 1 counts an attempt (the first one starts the window), -1 gives one back (a missing counter stays missing:
--         its window is over)
-- ARGV[2] the window (ms)
-- returns {count, ms left of the window} ({0, 0} when a give-back finds nothing to give back)
if tonumber(ARGV[1]) < 0 then
  if tonumber(redis.call('GET', KEYS[1]) or '0') <= 0 then
    return {0, 0}
  end
  local left = redis.call('DECR', KEYS[1])
  if left <= 0 then
    redis.call('DEL', KEYS[1])
    return {0, 0}
  end
  return {left, redis.call('PTTL', KEYS[1])}
end
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {count, ttl}
