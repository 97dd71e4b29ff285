-- A resumable client's socket opened: it becomes the record's owner. Returns the socket that owned the record before
-- (still open somewhere, or closed without recording: '' when none) and the one that last recorded ('' when none).
-- KEYS[1] the client's record (hash)
-- ARGV[1] the new socket id, ARGV[2] how long the record lives (ms)
local previous = redis.call('HGET', KEYS[1], '~owner') or ''
redis.call('HSET', KEYS[1], '~owner', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {previous, redis.call('HGET', KEYS[1], '~released') or ''}
