-- Counts a channel's subscribers across every gateway and decides, in the same step, the cluster-wide transitions:
-- occupied (none -> some), vacated (some -> none), and a new subscription count for the channel's subscribers,
-- throttled: at most one count per interval goes out (as a sequenced pusher_internal:subscription_count event on the
-- channel's bus); a change within the interval is left pending for a later call (a flush) to send.
-- KEYS[1] the channel's subscriber count, KEYS[2] its count announcement state (hash: at = when the last count went
-- out, epoch ms; pending = 1 when a newer count waits), KEYS[3] the channel's sequence counter, KEYS[4] the mark a
-- reaper leaves when it vacates the channel, KEYS[5] the channel's departures (see lib.lua's webhook pairs)
-- ARGV[1] delta (+n, -n, or 0 for a flush), ARGV[2] throttle interval (ms), ARGV[3] bus channel, ARGV[4] counter TTL (ms),
-- ARGV[5] '1' when the channel's subscribers are told counts (public and private channels), else '0',
-- ARGV[6] 'reap' when a reaper takes a dead gateway's subscribers away (a vacated channel is marked), 'restore' when
-- a gateway counts again the subscribers it held all along (occupied only if a reaper had vacated it; after Redis
-- lost its data nobody was told it was vacated), '' otherwise, ARGV[7] how long a vacancy is remembered (ms)
-- Returns {count, transition, announced, wait, at, follows}: transition 1 occupied, -1 vacated, 0 neither; announced =
-- the count that went out now, or -1; wait = ms until a pending count may go out (0 when nothing is pending); at =
-- when a transition happened (server clock, microseconds; 0 without one); follows = for occupied, when the vacancy it
-- ends began (0: none remembered).
local delta = tonumber(ARGV[1])
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local before = count
if delta ~= 0 then
  count = math.max(0, count + delta)
  if count == 0 then
    redis.call('DEL', KEYS[1])
  else
    redis.call('SET', KEYS[1], count)
  end
end
local transition = 0
local at = 0
local follows = 0
if before == 0 and count > 0 then
  local marked = redis.call('DEL', KEYS[4]) == 1
  if ARGV[6] ~= 'restore' or marked then
    transition = 1
    at = now_us()
    follows = take_departure(KEYS[5], '')
  end
elseif before > 0 and count == 0 then
  transition = -1
  at = now_us()
  note_departure(KEYS[5], '', at, tonumber(ARGV[7]))
  if ARGV[6] == 'reap' then
    redis.call('SET', KEYS[4], '1', 'PX', 3600000)
  end
end
local announced = -1
local wait = 0
if ARGV[5] == '1' and (delta ~= 0 or redis.call('HGET', KEYS[2], 'pending') == '1') then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local interval = tonumber(ARGV[2])
  local last = tonumber(redis.call('HGET', KEYS[2], 'at') or '0')
  if now - last >= interval then
    local seq = next_seq(KEYS[3], tonumber(ARGV[4]))
    local data = cjson.encode({subscription_count = count})
    redis.call(BUS_PUBLISH, ARGV[3], '{"seq":' .. seq_text(seq) .. ',"type":"event","id":"count-' .. seq_text(seq)
      .. '","name":"pusher_internal:subscription_count","data":' .. cjson.encode(data) .. '}')
    redis.call('HSET', KEYS[2], 'at', seq_text(now), 'pending', '0')
    announced = count
  else
    redis.call('HSET', KEYS[2], 'pending', '1')
    wait = interval - (now - last)
  end
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
end
return {count, transition, announced, wait, at, follows}
