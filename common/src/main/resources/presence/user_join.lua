-- Records one presence connection of a user (in any channel, on any gateway) and reads the user's status.
-- A user with no stored status yet starts with the one their signed user_info carries (e.g. the account's default text).
-- KEYS[1] the user's connection set (app NUL channel NUL connection)
-- KEYS[2] the user's state hash (status, text, expiresAt, lastSeen)
-- ARGV[1] the connection entry, ARGV[2] initial status, ARGV[3] initial text
-- Returns the state hash as a flat field/value list.
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('HEXISTS', KEYS[2], 'status') == 0 then
  redis.call('HSET', KEYS[2], 'status', ARGV[2], 'text', ARGV[3], 'expiresAt', '0')
end
return redis.call('HGETALL', KEYS[2])
