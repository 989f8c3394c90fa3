-- append.lua: appends one message to a live session, atomically (layout 2, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] message list  PREFIX:{CODE}:SID:msgs
-- KEYS[4] id hash       PREFIX:{CODE}:SID:ids
-- KEYS[5] pending set   PREFIX:{CODE}:pending
-- ARGV[1] layout version '2'
-- ARGV[2] session id
-- ARGV[3] message id, 1 to 256 bytes (unique within the session; a repeated id is a retry)
-- ARGV[4] the message as a JSON object text without "seq", e.g.
--         {"id":"m1","sentAt":"2026-11-24T10:00:00.000Z","sender":"u1","type":"chat","data":{}}
--         The script stores it as {"seq":N,"id":...}: seq first, the rest byte for byte.
-- ARGV[5] now, epoch milliseconds
-- ARGV[6] the session's message limit (count)
-- ARGV[7] safety TTL, seconds
-- ARGV[8] the session's byte limit: the stored messages together may not exceed it
-- Returns {'CREATED', message} | {'DUPLICATE', original message} | {'ENDED'} | {'UNKNOWN'}
--   | {'FULL'} (count limit) | {'TOO_LARGE'} (byte limit). Bad arguments or a broken
--   instance: an error, and nothing written.
-- seq is the list length after the push: 1, 2, 3... without gaps. The meta field 'bytes'
-- counts the stored bytes (instances of layout 1 start counting at their upgrade).
check_version('append.lua', 5, 8)
local sid = check_session_id(ARGV[2])
local code = code_of(KEYS[1])
check_key(1, code, ':live')
check_key(2, code, ':' .. sid .. ':meta')
check_key(3, code, ':' .. sid .. ':msgs')
check_key(4, code, ':' .. sid .. ':ids')
check_key(5, code, ':pending')
local id = ARGV[3]
if #id < 1 or #id > 256 then
  fail('message id must be 1 to 256 bytes long')
end
local body = ARGV[4]
if string.sub(body, 1, 1) ~= '{' or string.sub(body, -1) ~= '}' or #body < 3 then
  fail('message must be a non-empty JSON object text')
end
local now = check_integer('now', ARGV[5], MIN_NOW, MAX_NOW)
local max_count = check_integer('message limit', ARGV[6], 1, 1e9)
local safety = check_integer('safety TTL', ARGV[7], 1, MAX_SAFETY_SECONDS)
local max_bytes = check_integer('byte limit', ARGV[8], 1, 1e14)

local count = redis.call('LLEN', KEYS[3])
local known = redis.call('HGET', KEYS[4], id)
if known then
  local seq = tonumber(known)
  if not seq or seq < 1 or seq > count or seq ~= math.floor(seq) then
    fail('the id hash maps ' .. string.format('%q', id) .. ' to ' .. string.format('%q', known) ..
      ', which is no message of the list (' .. count .. ' messages)')
  end
  return {'DUPLICATE', redis.call('LINDEX', KEYS[3], seq - 1)}
end
if redis.call('GET', KEYS[1]) ~= sid then
  if redis.call('EXISTS', KEYS[2]) == 1 then
    return {'ENDED'}
  end
  return {'UNKNOWN'}
end
local meta = redis.call('HMGET', KEYS[2], 'ttlMillis', 'bytes')
local ttl = tonumber(meta[1])
if not ttl or ttl < 1 or ttl > MAX_TTL_MILLIS then
  fail('the meta hash of ' .. sid .. ' has no valid ttlMillis')
end
local stored = tonumber(meta[2] or '0')
if not stored or stored < 0 then
  fail('the meta hash of ' .. sid .. ' has no valid bytes count')
end
if count >= max_count then
  return {'FULL'}
end
local seq = count + 1
local message = '{"seq":' .. string.format('%d', seq) .. ',' .. string.sub(body, 2)
if stored + #message > max_bytes then
  return {'TOO_LARGE'}
end
local keep = math.floor(ttl / 1000) + safety
redis.call('RPUSH', KEYS[3], message)
redis.call('HSET', KEYS[4], id, seq)
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', ttl))
redis.call('HSET', KEYS[2], 'expiresAt', string.format('%.0f', now + ttl),
  'bytes', string.format('%.0f', stored + #message))
redis.call('EXPIRE', KEYS[2], keep)
redis.call('EXPIRE', KEYS[3], keep)
redis.call('EXPIRE', KEYS[4], keep)
-- The pending set must outlive every instance it lists.
if redis.call('TTL', KEYS[5]) < keep then
  redis.call('EXPIRE', KEYS[5], keep)
end
return {'CREATED', message}
