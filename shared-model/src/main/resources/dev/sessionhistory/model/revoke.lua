-- revoke.lua: revokes every access token issued for a session instance, by raising its
-- token epoch (layout 4, see RedisKeys).
-- KEYS[1] meta hash     PREFIX:{CODE}:SID:meta
-- ARGV[1] layout version '4'
-- ARGV[2] session id
-- Returns the new epoch as a decimal string ('1' after the first revoke: an absent
-- field is epoch 0), or 'UNKNOWN' when the instance has no meta in Redis, and then writes
-- nothing (never a meta hash of only a tokenEpoch). Tokens carry the epoch they were
-- issued in; one of an older epoch is revoked. Works on live and ended instances alike;
-- the worker archives the epoch it reads right before committing.
check_version('revoke.lua', 1, 2)
local sid = check_session_id(ARGV[2])
local code = code_of(KEYS[1])
check_key(1, code, ':' .. sid .. ':meta')

if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'UNKNOWN'
end
return string.format('%d', redis.call('HINCRBY', KEYS[1], 'tokenEpoch', 1))
