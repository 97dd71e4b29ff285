-- One app's connections on every gateway: a hash node -> connections on that node, so a dead node's share can be
-- dropped by its reaper and a crash never leaks quota. Fields at 0 stay until the node is reaped (increments and
-- decrements then commute, whatever order they arrive in).
-- KEYS[1] the app's connection hash
-- ARGV[1] operation: acquire | release | set | drop
-- ARGV[2] node
-- ARGV[3] acquire: the app's limit (-1: none); set: the node's count
-- returns acquire: 1 when taken, 0 when the app is at its limit; otherwise 1
local op, node = ARGV[1], ARGV[2]
if op == 'acquire' then
  local max = tonumber(ARGV[3])
  if max >= 0 then
    local total = 0
    for _, count in ipairs(redis.call('HVALS', KEYS[1])) do
      total = total + tonumber(count)
    end
    if total >= max then
      return 0
    end
  end
  redis.call('HINCRBY', KEYS[1], node, 1)
elseif op == 'release' then
  redis.call('HINCRBY', KEYS[1], node, -1)
elseif op == 'set' then
  redis.call('HSET', KEYS[1], node, ARGV[3])
else
  redis.call('HDEL', KEYS[1], node)
end
return 1
