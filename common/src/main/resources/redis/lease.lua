-- Renews a gateway's lease, or takes it again when it expired, unless a reaper is removing the node right now.
-- KEYS[1] the node's lease (a string with a TTL), KEYS[2] the node's reaper claim (see reap_claim.lua)
-- ARGV[1] lease TTL (ms)
-- Returns 1 when the lease was alive and is renewed, 0 when it had expired and is taken again (the node must
-- register its connections again), -1 when it expired and a reaper holds the claim: the node waits for the reap to
-- finish and takes the lease at a later renewal, so the reap cannot remove connections registered again meanwhile.
if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 1 then
  return 1
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return -1
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return 0
