-- release.lua: the worker gives back its archive claim on an instance it could not
-- archive now, so another replica may retry without waiting for the claim TTL.
-- KEYS[1] claim key     PREFIX:{CODE}:SID:claim
-- ARGV[1] worker id
-- Returns 1 when released, 0 when the claim is not held by this worker.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
