-- One login session: a hash {account, created and expires (ms, Redis clock), and a field 'socket:<app>:<socket id>'
-- per socket the session authorized}. It is valid while now < expires: the sliding TTL from its last use, but never
-- past its absolute lifetime from its creation. The hash itself outlives its validity by a grace period, so that a
-- session that expired unused can still be ended properly (its sockets closed) by the sweeper.
-- One key per session, so every operation is atomic, also on a Redis Cluster: a socket is recorded only while the
-- session lives, and ending the session returns every socket recorded before (none can slip in between).
-- KEYS[1] the session hash
-- ARGV[1] operation: create | touch | authorize | sweep | end
-- create    ARGV[2] account, ARGV[3] ttl ms, ARGV[4] lifetime ms, ARGV[5] grace ms          -> 1
-- touch     ARGV[2] ttl ms, ARGV[3] lifetime ms, ARGV[4] grace ms
--             -> the account; false when unknown; the socket fields when it had expired (it is ended now)
-- authorize ARGV[2] the socket's field, ARGV[3] most sockets per session
--             -> when it expires (ms) once recorded, 0 at the cap, -1 when gone or expired
-- sweep     -> when it expires (ms) while valid; false when unknown; the socket fields when expired (it is ended now)
-- end       -> the socket fields; the session is gone
local key, op = KEYS[1], ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function finish()
  local sockets = {}
  for _, field in ipairs(redis.call('HKEYS', key)) do
    if string.sub(field, 1, 7) == 'socket:' then
      sockets[#sockets + 1] = field
    end
  end
  redis.call('DEL', key)
  return sockets
end

local function valid_until(created, ttl, lifetime)
  return math.min(now + ttl, created + lifetime)
end

local function keep(expires, grace)
  redis.call('HSET', key, 'expires', string.format('%.0f', expires))
  redis.call('PEXPIRE', key, math.max(1, expires - now) + grace)
end

if op == 'create' then
  redis.call('HSET', key, 'account', ARGV[2], 'created', string.format('%.0f', now))
  keep(valid_until(now, tonumber(ARGV[3]), tonumber(ARGV[4])), tonumber(ARGV[5]))
  return 1
elseif op == 'touch' then
  local fields = redis.call('HMGET', key, 'account', 'created', 'expires')
  if not fields[1] or not fields[2] then
    return false
  end
  local created = tonumber(fields[2])
  if now >= tonumber(fields[3] or '0') or now >= created + tonumber(ARGV[3]) then
    return finish()
  end
  keep(valid_until(created, tonumber(ARGV[2]), tonumber(ARGV[3])), tonumber(ARGV[4]))
  return fields[1]
elseif op == 'authorize' then
  local expires = tonumber(redis.call('HGET', key, 'expires') or '0')
  if now >= expires then
    return -1
  end
  if redis.call('HEXISTS', key, ARGV[2]) == 0 then
    -- the three other fields are account, created and expires
    if redis.call('HLEN', key) - 3 >= tonumber(ARGV[3]) then
      return 0
    end
    redis.call('HSET', key, ARGV[2], '1')
  end
  return expires
elseif op == 'sweep' then
  if redis.call('EXISTS', key) == 0 then
    return false
  end
  local expires = tonumber(redis.call('HGET', key, 'expires') or '0')
  if now < expires then
    return expires
  end
  return finish()
else
  return finish()
end
