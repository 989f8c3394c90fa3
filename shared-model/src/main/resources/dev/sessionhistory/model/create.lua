-- create.lua: creates a session instance, atomically (layout 4, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] pending set   PREFIX:{CODE}:pending
-- ARGV[1] layout version '4'
-- ARGV[2] session id (a new UUID, lower case)
-- ARGV[3] code
-- ARGV[4] now, epoch milliseconds
-- ARGV[5] idle TTL, milliseconds (the API takes 1 s or more)
-- ARGV[6] metadata as a JSON object text, or '' for none (at most 64 KiB)
-- ARGV[7] safety TTL, seconds: how long data outlives the live key if no worker archives it
-- ARGV[8] owner: the user id of whoever owns the session (1 to 256 bytes, no control
--         characters), stored as the meta field 'owner'; '' for none
-- Returns 'OK'; 'LIVE' if the code has a live session; 'PENDING' if an ended instance of
-- the code still waits for its archive. Bad arguments: an error, and nothing written.
-- Before the call the caller adds 'CODE SID' to the code's due bucket PREFIX:due:{B} (score:
-- now + idle TTL; B in RedisKeys.dueBucketOf, another slot, so not in this script), and
-- removes it again unless the answer is OK.
check_version('create.lua', 3, 8)
local sid = check_session_id(ARGV[2])
local code = check_code(ARGV[3])
check_key(1, code, ':live')
check_key(2, code, ':' .. sid .. ':meta')
check_key(3, code, ':pending')
local now = check_integer('now', ARGV[4], MIN_NOW, MAX_NOW)
local ttl = check_integer('idle TTL', ARGV[5], 1, MAX_TTL_MILLIS)
local metadata = ARGV[6]
if metadata ~= '' and (#metadata > 65536 or string.sub(metadata, 1, 1) ~= '{' or string.sub(metadata, -1) ~= '}') then
  fail('metadata must be \'\' or a JSON object text of at most 65536 bytes')
end
local safety = check_integer('safety TTL', ARGV[7], 1, MAX_SAFETY_SECONDS)
local owner = ARGV[8]
if owner ~= '' then
  check_user_id('owner', owner)
end

if redis.call('EXISTS', KEYS[1]) == 1 then
  return 'LIVE'
end
if redis.call('SCARD', KEYS[3]) > 0 then
  return 'PENDING'
end
local keep = math.floor(ttl / 1000) + safety
redis.call('SET', KEYS[1], sid, 'PX', string.format('%.0f', ttl))
redis.call('HSET', KEYS[2], 'sessionId', sid, 'code', code,
  'createdAt', string.format('%.0f', now), 'ttlMillis', string.format('%.0f', ttl),
  'expiresAt', string.format('%.0f', now + ttl), 'status', 'active', 'layout', LAYOUT, 'bytes', '0')
if metadata ~= '' then
  redis.call('HSET', KEYS[2], 'metadata', metadata)
end
if owner ~= '' then
  redis.call('HSET', KEYS[2], 'owner', owner)
end
redis.call('EXPIRE', KEYS[2], keep)
redis.call('SADD', KEYS[3], sid)
-- The pending set must outlive every instance it lists (older ones may still wait).
if redis.call('TTL', KEYS[3]) < keep then
  redis.call('EXPIRE', KEYS[3], keep)
end
return 'OK'
