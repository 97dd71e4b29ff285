-- One cluster-wide budget of one subject (GCRA, a token bucket kept as one timestamp): a subject may take `limit`
-- at once, and one more each `period / limit` after that. Redis' own clock decides, so every replica agrees.
-- KEYS[1] the budget's key for the subject (a string: when the bucket is full again, epoch ms)
-- ARGV[1] limit, ARGV[2] period (ms), ARGV[3] cost (how many are taken)
-- returns {1, 0} when taken, {0, wait ms until it would be allowed} when refused (then nothing is taken)
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local interval = period / limit
local full = tonumber(redis.call('GET', KEYS[1]) or '0')
if full < now then
  full = now
end
local after = full + interval * cost
local allowedAt = after - period
if allowedAt > now then
  return {0, math.ceil(allowedAt - now)}
end
redis.call('SET', KEYS[1], string.format('%.3f', after), 'PX', math.max(1, math.ceil(after - now)))
return {1, 0}
