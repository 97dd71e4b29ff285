-- Adds one connection of a user to a presence channel; decides atomically whether it is the user's first.
-- KEYS[1] connections hash  (connection id -> user id)
-- KEYS[2] users hash        (user id -> number of connections)
-- KEYS[3] user_info hash    (user id -> user_info JSON, from the user's first connection)
-- ARGV[1] connection id, ARGV[2] user id, ARGV[3] user_info JSON, ARGV[4] member cap
-- Returns 1 (first connection of the user), 0 (user already present or connection already joined), -1 (channel full).
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return 0
end
local present = redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1
if not present and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then
  return -1
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
if present then
  return 0
end
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
return 1
