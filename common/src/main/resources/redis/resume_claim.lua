-- A resumable client's socket opened: it becomes the record's owner, and reads the record in the same step.
-- KEYS[1] the client's record (hash)
-- ARGV[1] the new socket id, ARGV[2] how long the record lives (ms)
-- Returns {previous owner ('' when none: it closed and recorded, or there was none), then what resume_read.lua returns}
local previous = redis.call('HGET', KEYS[1], '~owner') or ''
redis.call('HSET', KEYS[1], '~owner', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local reply = {previous, redis.call('HGET', KEYS[1], '~released') or '', redis.call('HGET', KEYS[1], '~at') or '0', seq_text(now_ms())}
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if string.sub(fields[i], 1, 1) ~= '~' then
    reply[#reply + 1] = fields[i]
    reply[#reply + 1] = fields[i + 1]
  end
end
return reply
