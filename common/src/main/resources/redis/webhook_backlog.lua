-- The webhook queue's backlog: every entry in the stream is undelivered (the sender deletes what it finished).
-- KEYS[1] the webhook stream
-- Returns {entries, age of the oldest entry in ms on the Redis clock (0 when empty)}.
local entries = redis.call('XLEN', KEYS[1])
if entries == 0 then
  return {0, 0}
end
local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1]
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local oldestMs = tonumber(string.match(oldest, '^(%d+)'))
return {entries, math.max(0, nowMs - oldestMs)}
