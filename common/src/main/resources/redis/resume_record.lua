-- A resumable client's socket closed: its channels and the last sequence number it acknowledged on each replace the
-- record's, it is marked as the socket that recorded (when), and it no longer owns the record (unless a newer socket
-- took it meanwhile).
-- KEYS[1] the client's record (hash)
-- ARGV[1] the socket id, ARGV[2] how long the record lives (ms), then channel, number pairs
local fields = redis.call('HKEYS', KEYS[1])
for _, field in ipairs(fields) do
  if string.sub(field, 1, 1) ~= '~' then
    redis.call('HDEL', KEYS[1], field)
  end
end
for i = 3, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('HSET', KEYS[1], '~released', ARGV[1], '~at', seq_text(now_ms()))
if redis.call('HGET', KEYS[1], '~owner') == ARGV[1] then
  redis.call('HDEL', KEYS[1], '~owner')
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
