-- A resumable client's socket closed: it is marked as the socket that recorded (when), it no longer owns the record
-- (unless a newer socket took it meanwhile), and with ARGV[3] '1' its channels and the last sequence number it
-- acknowledged on each replace the record's; with '0' (it closed before it had read the record) they stay as they are.
-- KEYS[1] the client's record (hash)
-- ARGV[1] the socket id, ARGV[2] how long the record lives (ms), ARGV[3] '1' or '0', then channel, number pairs
if ARGV[3] == '1' then
  local fields = redis.call('HKEYS', KEYS[1])
  for _, field in ipairs(fields) do
    if string.sub(field, 1, 1) ~= '~' then
      redis.call('HDEL', KEYS[1], field)
    end
  end
  for i = 4, #ARGV, 2 do
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
redis.call('HSET', KEYS[1], '~released', ARGV[1])
if ARGV[3] == '1' or not redis.call('HGET', KEYS[1], '~at') then
  redis.call('HSET', KEYS[1], '~at', seq_text(now_ms())) -- positions kept as they were keep their age
end
if redis.call('HGET', KEYS[1], '~owner') == ARGV[1] then
  redis.call('HDEL', KEYS[1], '~owner')
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
