-- Removes one connection from a presence channel; decides atomically whether it was the user's last.
-- KEYS[1] connections hash  (connection id -> user id)
-- KEYS[2] users hash        (user id -> number of connections)
-- KEYS[3] user_info hash    (user id -> user_info JSON)
-- ARGV[1] connection id
-- Returns {} when the connection was not in the channel, {user id, 0} when the user still has a connection,
-- {user id, 1, user_info JSON} when it was their last (the caller needs user_info to know if they were invisible).
local user = redis.call('HGET', KEYS[1], ARGV[1])
if not user then
  return {}
end
redis.call('HDEL', KEYS[1], ARGV[1])
local left = redis.call('HINCRBY', KEYS[2], user, -1)
if left > 0 then
  return {user, 0}
end
local info = redis.call('HGET', KEYS[3], user) or '{}'
redis.call('HDEL', KEYS[2], user)
redis.call('HDEL', KEYS[3], user)
return {user, 1, info}
