-- Removes one connection from a presence channel; decides atomically whether it was the user's last.
-- KEYS[1] connections hash  (connection id -> user id)
-- KEYS[2] users hash        (user id -> number of connections)
-- KEYS[3] user_info hash    (user id -> user_info JSON)
-- ARGV[1] connection id
-- Returns {} when the connection was not in the channel, else {user id, 1 if it was the last connection else 0}.
local user = redis.call('HGET', KEYS[1], ARGV[1])
if not user then
  return {}
end
redis.call('HDEL', KEYS[1], ARGV[1])
local left = redis.call('HINCRBY', KEYS[2], user, -1)
if left > 0 then
  return {user, 0}
end
redis.call('HDEL', KEYS[2], user)
redis.call('HDEL', KEYS[3], user)
return {user, 1}
