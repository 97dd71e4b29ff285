-- Records one presence connection of a user (in any channel, on any gateway) and reads what a join needs to know
-- about the user: their status and who blocked them. A user with no stored status yet starts with the given one
-- (what their signed user_info suggests, or what a re-registering gateway last knew).
-- KEYS[1] the user's connection set (app NUL channel NUL connection)
-- KEYS[2] the user's state hash (status, text, expiresAt, v = status version, lastSeen)
-- KEYS[3] the users who blocked this user (set)
-- ARGV[1] the connection entry, ARGV[2] initial status, ARGV[3] initial text, ARGV[4] initial expiresAt,
-- ARGV[5] initial version
-- Returns {state hash as a flat field/value list, blockers}.
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('HEXISTS', KEYS[2], 'status') == 0 then
  redis.call('HSET', KEYS[2], 'status', ARGV[2], 'text', ARGV[3], 'expiresAt', ARGV[4], 'v', ARGV[5])
end
return {redis.call('HGETALL', KEYS[2]), redis.call('SMEMBERS', KEYS[3])}
