-- One SCAN step on the node that serves KEYS[1]'s slot (the key only routes the call: on a Redis Cluster each master
-- is scanned with a key of one of its slots; nothing is read from it).
-- KEYS[1] any key of the node to scan
-- ARGV[1] cursor, ARGV[2] MATCH pattern, ARGV[3] COUNT
-- Returns {next cursor, {keys}} as SCAN does.
return redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])
