-- Queues one webhook and keeps the queue at most ARGV[1] entries long: when it is longer, the oldest entries go
-- (exact trimming, so the bound holds to the entry). Entries the sender has read already are still in its hands
-- and get delivered; only the unread ones dropped are lost.
-- KEYS[1] the webhook stream
-- ARGV[1] most entries kept, ARGV[2] the sender's consumer group, ARGV[3..] the entry's field names and values
-- Returns how many unread entries were dropped to make room (0 while the queue is not full).
redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
local over = redis.call('XLEN', KEYS[1]) - tonumber(ARGV[1])
if over <= 0 then
  return 0
end

local function id_parts(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end

-- the newest entry the group has read ('0-0' when there is no group yet)
local last_read = '0-0'
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local fields = {}
  for i = 1, #group, 2 do
    fields[group[i]] = group[i + 1]
  end
  if fields['name'] == ARGV[2] then
    last_read = fields['last-delivered-id']
  end
end
local read_ms, read_seq = id_parts(last_read)

local unread = 0
for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', over)) do
  local ms, seq = id_parts(entry[1])
  if ms > read_ms or (ms == read_ms and seq > read_seq) then
    unread = unread + 1
  end
end
redis.call('XTRIM', KEYS[1], 'MAXLEN', ARGV[1])
return unread
