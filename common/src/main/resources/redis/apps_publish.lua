-- Publishes the app store's snapshot when it is newer than the one Redis holds (an older writer never wins).
-- KEYS[1] the snapshot hash {apps}; ARGV[1] version, ARGV[2] the apps as JSON
-- returns 1 when written, 0 when Redis already had this version or a newer one
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
if current >= tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'apps', ARGV[2])
return 1
