-- Reads a channel as of one sequence number: the number, its members (presence channels) and the stored events
-- after a given number, so a gateway can start a channel or repair a gap in one step.
-- KEYS[1] user_info hash, KEYS[2] status hash, KEYS[3] sequence counter, KEYS[4] stored events stream,
-- KEYS[5] the last event of a cache channel, KEYS[6] the stream's floor (the highest number trimmed for its age)
-- ARGV[1] '1' to include the members, ARGV[2] '' or the last sequence number the caller has (stored events after
-- it are returned), ARGV[3] counter TTL (ms), ARGV[4] replay window (how many numbers back the stream reaches),
-- ARGV[5] '1' when the caller follows the channel (a missing counter is started, so the caller has a number to
-- follow), '0' for a look only (a missing counter reads as 0 and nothing is written)
-- Returns {seq, members, events, complete, stream exists, cached event or ''}: members = {user, user_info, status,
-- ...}; events = {payload, ...} oldest first; complete = 1 when the stream holds every stored event after ARGV[2].
local seq = 0
if ARGV[5] == '1' then
  seq = current_seq(KEYS[3], tonumber(ARGV[3]))
else
  seq = tonumber(redis.call('GET', KEYS[3]) or '0')
end
local members = {}
if ARGV[1] == '1' then
  local infos = redis.call('HGETALL', KEYS[1])
  for i = 1, #infos, 2 do
    members[#members + 1] = infos[i]
    members[#members + 1] = infos[i + 1]
    members[#members + 1] = redis.call('HGET', KEYS[2], infos[i]) or '{}'
  end
end
local events = {}
local complete = 1
if ARGV[2] ~= '' then
  local after = tonumber(ARGV[2])
  -- the floor is the highest number trimmed (by age or by the publishers' window); the window check stays for
  -- streams written before the floor existed
  if after < seq - tonumber(ARGV[4]) or after < tonumber(redis.call('GET', KEYS[6]) or '0') then
    complete = 0
  end
  if after < seq then
    local entries = redis.call('XRANGE', KEYS[4], '(' .. seq_text(after) .. '-0', '+')
    for i = 1, #entries do
      events[#events + 1] = entries[i][2][2]
    end
  end
end
return {seq, members, events, complete, redis.call('EXISTS', KEYS[4]), redis.call('GET', KEYS[5]) or ''}
