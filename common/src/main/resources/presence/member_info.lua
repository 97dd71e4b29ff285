-- Replaces a member's user_info if the member is still in the channel and nobody changed it meanwhile.
-- KEYS[1] users hash (user id -> number of connections)
-- KEYS[2] user_info hash (user id -> user_info JSON)
-- ARGV[1] user id, ARGV[2] the user_info JSON the caller read, ARGV[3] the new user_info JSON
-- Returns 1 (replaced), 0 (the user is not in the channel), -1 (user_info changed meanwhile: read again and retry).
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then
  return -1
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1
