-- Claims a dead gateway for one reaper: succeeds only while the node's lease is gone and nobody else holds the claim.
-- KEYS[1] the node's lease, KEYS[2] the node's reaper claim (a string with a TTL)
-- ARGV[1] the claiming reaper's id, ARGV[2] claim TTL (ms): a reaper that dies mid-reap lets another finish after it
-- Returns 1 when claimed, 0 when the node is alive again or another reaper holds it.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
return 0
