-- Publishes events on one channel in order, each with the channel's next sequence number, keeping the durable
-- ones in a short stream for gateways that missed them. Publishing is idempotent by event id: a retried event
-- keeps the number it got the first time and is not published again.
-- KEYS[1] sequence counter, KEYS[2] stored events stream (entry id = sequence number, fields e: the event, t: when
-- stored), KEYS[3] recent event ids (sorted set: id scored by its sequence number), KEYS[4] the last event of a cache
-- channel, KEYS[5] the stream's floor (the highest number trimmed for its age)
-- ARGV[1] bus channel, ARGV[2] counter TTL (ms), ARGV[3] replay window (sequence numbers kept in the stream and
-- in the id set), ARGV[4] how long a cache channel keeps its last stored event (ms; '0': not a cache channel),
-- ARGV[5] how long a stored event is kept (ms; '0': no limit by age),
-- then three values per event: its id, '1' to keep it for replay or '0', its JSON without "seq"
-- Returns the sequence number of each event, in order.
local ttl = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local cache = tonumber(ARGV[4])
local max_age = tonumber(ARGV[5])
local now = now_ms()
local stored = false
local last_stored = 0
local numbers = {}
for i = 6, #ARGV, 3 do
  local id = ARGV[i]
  local known = redis.call('ZSCORE', KEYS[3], id)
  if known then
    numbers[#numbers + 1] = tonumber(known)
  else
    local seq = next_seq(KEYS[1], ttl)
    local payload = '{"seq":' .. seq_text(seq) .. ',' .. string.sub(ARGV[i + 2], 2)
    redis.call('ZADD', KEYS[3], seq, id)
    if ARGV[i + 1] == '1' then
      redis.call('XADD', KEYS[2], 'MINID', seq_text(math.max(0, seq - window)), seq_text(seq) .. '-0', 'e', payload,
        't', seq_text(now))
      stored = true
      last_stored = seq
      if cache > 0 then
        redis.call('SET', KEYS[4], payload, 'PX', cache)
      end
    end
    redis.call(BUS_PUBLISH, ARGV[1], payload)
    numbers[#numbers + 1] = seq
  end
end
-- Events older than max_age go, a few of the oldest per call: each call stores at most what it trims, so the
-- stream never outgrows what the age allows for long. The floor remembers the highest number trimmed, by age or by
-- the window (XADD MINID), so a read from before it knows it is incomplete whatever window the reader assumes.
if stored then
  local floor = math.max(0, last_stored - window - 1)
  if max_age > 0 then
    local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 16)
    for _, entry in ipairs(oldest) do
      local fields = entry[2]
      local at = nil
      for f = 1, #fields, 2 do
        if fields[f] == 't' then at = tonumber(fields[f + 1]) end
      end
      if at == nil or at >= now - max_age then break end
      redis.call('XDEL', KEYS[2], entry[1])
      floor = math.max(floor, tonumber(string.match(entry[1], '^(%d+)')))
    end
  end
  if floor > 0 and floor > tonumber(redis.call('GET', KEYS[5]) or '0') then
    redis.call('SET', KEYS[5], seq_text(floor), 'PX', ttl)
  end
end
local last = numbers[#numbers]
if last then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. seq_text(last - window))
  redis.call('PEXPIRE', KEYS[3], ttl)
  if redis.call('EXISTS', KEYS[2]) == 1 then
    redis.call('PEXPIRE', KEYS[2], ttl)
  end
  if redis.call('EXISTS', KEYS[5]) == 1 then
    redis.call('PEXPIRE', KEYS[5], ttl)
  end
end
return numbers
