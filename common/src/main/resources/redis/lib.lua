-- Helpers shared by the scripts; RedisScript puts this file in front of each script body when it loads it.
-- Sequence numbers: every event on a channel carries the next value of the channel's counter, taken in the same
-- script as the change it describes. A missing counter (new channel, expired, or Redis lost its data) starts
-- from the server clock in microseconds, so after any loss it restarts above every number it handed out before:
-- gateways see a jump (a gap they repair), never a number they already used.
-- BUS_PUBLISH, defined by RedisScript in front of this file, is the command that puts an event on a bus channel:
-- PUBLISH, or SPUBLISH for sharded pub/sub on a Redis Cluster (allowed in a script because every bus channel
-- carries its channel's hash tag, so it lives in the slot of the script's keys).

local function seq_text(n)
  return string.format('%.0f', n)
end

local function start_seq(key, ttl)
  local t = redis.call('TIME')
  local start = t[1] .. string.format('%06d', tonumber(t[2]))
  redis.call('SET', key, start, 'PX', ttl)
  return tonumber(start)
end

-- The channel's current number (a missing counter is started).
local function current_seq(key, ttl)
  local seq = redis.call('GET', key)
  if not seq then
    return start_seq(key, ttl)
  end
  return tonumber(seq)
end

-- The channel's next number, its counter kept for ttl ms more.
local function next_seq(key, ttl)
  local seq = redis.call('INCR', key)
  if seq == 1 then
    -- the counter was missing (INCR started it at 1; a live counter is far above): start it from the clock
    return start_seq(key, ttl)
  end
  redis.call('PEXPIRE', key, ttl)
  return seq
end

-- A presence event (EventCodec.decode reads it): the member's user_info and status as stored, or only the user
-- id when the member left.
local function member_event(seq, user, info, status)
  local head = '{"seq":' .. seq_text(seq) .. ',"type":"member","user":' .. cjson.encode(user)
  if info then
    return head .. ',"info":' .. info .. ',"status":' .. status .. '}'
  end
  return head .. '}'
end

local function version_of(status_json)
  return tonumber(cjson.decode(status_json).v) or 0
end

-- Visibility. Only Java decides whether a status hides its user from the world (StatusVisibility); each status is
-- stored with that decision as data, 'until:version': until = 0 when the world sees the user, -1 when the status hides
-- them with no end, else the epoch ms until which it hides them; version = the version of the status it was made for.
-- The scripts only compare. decided answers the `until` of the decision made for the status of `version` among the
-- candidates (the stored decision, then those the caller gave), or nil when none was made for it (a status stored
-- before decisions were stored, or by a service of the previous version): the script then changes nothing and
-- answers "undecided" with that status, and the caller runs it again with its decision among the candidates.
local function decided(version, ...)
  for i = 1, select('#', ...) do
    local candidate = select(i, ...)
    if candidate then
      local until_ms, v = string.match(candidate, '^(%-?%d+):(%d+)$')
      if v and tonumber(v) == version then
        return tonumber(until_ms)
      end
    end
  end
  return nil
end

-- The stored form of a decision.
local function decision(until_ms, version)
  return seq_text(until_ms) .. ':' .. seq_text(version)
end

-- Whether a decision hides its user at `now` (epoch ms).
local function hidden_at(until_ms, now)
  return until_ms < 0 or until_ms > now
end

-- Webhook pairs. A departure (member_removed, channel_vacated) and the next arrival of the same member (member_added,
-- channel_occupied) are decided by different scripts, often on different gateways, whose webhooks may reach the queue
-- in either order. So a departure notes when it happened (the server clock in microseconds) in the channel's
-- departures sorted set (member: the user id, or '' for the channel itself), kept `keep` ms, and the next arrival
-- takes that time back: its webhook names the departure it follows, and the sender pairs the two whatever their
-- order in the queue (see WebhookSender).
local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

local function note_departure(key, member, at, keep)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. seq_text(at - keep * 1000))
  redis.call('ZADD', key, seq_text(at), member)
  redis.call('PEXPIRE', key, keep)
end

-- The time of the member's departure this arrival follows (0: none noted), forgotten once taken.
local function take_departure(key, member)
  local at = redis.call('ZSCORE', key, member)
  if not at then
    return 0
  end
  redis.call('ZREM', key, member)
  return tonumber(at)
end

-- Users. The server clock in epoch ms.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The `until` of the decision for the user's stored status (state hash: v, hidden = decision), 0 when there is no
-- status (the default is seen), nil when undecided (see decided). A decision the caller gave is kept, so the next
-- script need not ask again.
local function user_hidden_until(state_key, hint)
  if redis.call('HEXISTS', state_key, 'status') == 0 then
    return 0
  end
  local version = tonumber(redis.call('HGET', state_key, 'v') or '0') or 0
  local until_ms = decided(version, redis.call('HGET', state_key, 'hidden'))
  if until_ms == nil then
    until_ms = decided(version, hint)
    if until_ms ~= nil then
      redis.call('HSET', state_key, 'hidden', hint)
    end
  end
  return until_ms
end

-- Watchlists: a user went online or offline for those who watch them (set: app NUL watcher NUL connection).
-- Answers {watchers, number of the transition}; the number only grows (from the clock after any loss), so a
-- gateway keeps the newest of two transitions that reach it out of order. Nobody watching: nothing to number.
local function watch_transition(state_key, watchers_key, now)
  local watchers = redis.call('SMEMBERS', watchers_key)
  if #watchers == 0 then
    return {watchers, 0}
  end
  local n = math.max(now, (tonumber(redis.call('HGET', state_key, 'wv') or '0') or 0) + 1)
  redis.call('HSET', state_key, 'wv', string.format('%.0f', n))
  return {watchers, n}
end

-- Resume records. A resumable client's record as {released, at, now, channel, number, ...} after `reply`'s first
-- element: who recorded last ('' when none), when ('0' when never), the server clock, then its channels.
local function resume_record_reply(key, reply)
  reply[#reply + 1] = redis.call('HGET', key, '~released') or ''
  reply[#reply + 1] = redis.call('HGET', key, '~at') or '0'
  reply[#reply + 1] = seq_text(now_ms())
  local fields = redis.call('HGETALL', key)
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, 1) ~= '~' then
      reply[#reply + 1] = fields[i]
      reply[#reply + 1] = fields[i + 1]
    end
  end
  return reply
end
