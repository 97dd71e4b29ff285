-- Publishes events on one channel in order, each with the channel's next sequence number, keeping the durable
-- ones in a short stream for gateways that missed them. Publishing is idempotent by event id: a retried event
-- keeps the number it got the first time and is not published again.
-- KEYS[1] sequence counter, KEYS[2] stored events stream (entry id = sequence number), KEYS[3] recent event ids
-- (sorted set: id scored by its sequence number), KEYS[4] the last event of a cache channel
-- ARGV[1] bus channel, ARGV[2] counter TTL (ms), ARGV[3] replay window (sequence numbers kept in the stream and
-- in the id set), ARGV[4] how long a cache channel keeps its last stored event (ms; '0': not a cache channel),
-- then three values per event: its id, '1' to keep it for replay or '0', its JSON without "seq"
-- Returns the sequence number of each event, in order.
local ttl = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local cache = tonumber(ARGV[4])
local numbers = {}
for i = 5, #ARGV, 3 do
  local id = ARGV[i]
  local known = redis.call('ZSCORE', KEYS[3], id)
  if known then
    numbers[#numbers + 1] = tonumber(known)
  else
    local seq = next_seq(KEYS[1], ttl)
    local payload = '{"seq":' .. seq_text(seq) .. ',' .. string.sub(ARGV[i + 2], 2)
    redis.call('ZADD', KEYS[3], seq, id)
    if ARGV[i + 1] == '1' then
      redis.call('XADD', KEYS[2], 'MINID', seq_text(math.max(0, seq - window)), seq_text(seq) .. '-0', 'e', payload)
      if cache > 0 then
        redis.call('SET', KEYS[4], payload, 'PX', cache)
      end
    end
    redis.call(BUS_PUBLISH, ARGV[1], payload)
    numbers[#numbers + 1] = seq
  end
end
local last = numbers[#numbers]
if last then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. seq_text(last - window))
  redis.call('PEXPIRE', KEYS[3], ttl)
  if redis.call('EXISTS', KEYS[2]) == 1 then
    redis.call('PEXPIRE', KEYS[2], ttl)
  end
end
return numbers
