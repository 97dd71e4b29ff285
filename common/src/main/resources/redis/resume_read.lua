-- A resumable client's record as it is now, with the server clock (so the caller can tell its age).
-- KEYS[1] the client's record (hash)
-- Returns {'' (no owner asked), the socket that recorded last ('' when none), when (epoch ms, '0' when never), now
-- (epoch ms), then channel, number pairs}
local reply = {'', redis.call('HGET', KEYS[1], '~released') or '', redis.call('HGET', KEYS[1], '~at') or '0', seq_text(now_ms())}
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if string.sub(fields[i], 1, 1) ~= '~' then
    reply[#reply + 1] = fields[i]
    reply[#reply + 1] = fields[i + 1]
  end
end
return reply
