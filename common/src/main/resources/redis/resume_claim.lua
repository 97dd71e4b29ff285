-- A resumable client's socket opened: it becomes the record's owner, and reads the record in the same step.
-- KEYS[1] the client's record (hash)
-- ARGV[1] the new socket id, ARGV[2] how long the record lives (ms)
-- Returns {previous owner ('' when none: it closed and recorded, or there was none), released, at, now, channel,
-- number, ...} (see resume_record_reply in lib.lua)
local previous = redis.call('HGET', KEYS[1], '~owner') or ''
redis.call('HSET', KEYS[1], '~owner', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return resume_record_reply(KEYS[1], {previous})
