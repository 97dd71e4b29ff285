-- Copies a previous layout's user key into today's key of the built-in app's user.
-- KEYS[1] the key to write: a user's state hash, or blockers set
-- ARGV[1] 'state' or 'set', ARGV[2..] the old state's field/value pairs, or the old set's members
-- A state is copied when today's has none or an older status version (a gateway of the previous version changed it
-- since the last pass), with the later last seen; a set only when today's does not exist (it is newer).
-- Returns 2 when a status was written (or the set), 1 when only the last seen, 0 when nothing.
if #ARGV < 2 then
  return 0
end
if ARGV[1] == 'set' then
  if redis.call('EXISTS', KEYS[1]) == 1 then
    return 0
  end
  redis.call('SADD', KEYS[1], unpack(ARGV, 2))
  return 2
end
local old = {}
for i = 2, #ARGV - 1, 2 do
  old[ARGV[i]] = ARGV[i + 1]
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 2))
  return 2
end
local written = 0
local version = tonumber(redis.call('HGET', KEYS[1], 'v') or '0') or 0
if old['status'] and (tonumber(old['v'] or '0') or 0) > version then
  redis.call('HSET', KEYS[1], 'status', old['status'], 'text', old['text'] or '', 'expiresAt', old['expiresAt'] or '0',
    'v', old['v'])
  written = 2
end
local seen = tonumber(redis.call('HGET', KEYS[1], 'lastSeen') or '0') or 0
if old['lastSeen'] and (tonumber(old['lastSeen']) or 0) > seen then
  redis.call('HSET', KEYS[1], 'lastSeen', old['lastSeen'])
  written = math.max(written, 1)
end
return written
