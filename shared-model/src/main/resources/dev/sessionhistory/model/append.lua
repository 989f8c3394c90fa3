-- append.lua: appends one message to a live session, atomically (layout v1, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] message list  PREFIX:{CODE}:SID:msgs
-- KEYS[4] id hash       PREFIX:{CODE}:SID:ids
-- KEYS[5] pending set   PREFIX:{CODE}:pending
-- ARGV[1] session id
-- ARGV[2] message id (unique within the session; a repeated id is a retry)
-- ARGV[3] the message as a JSON object text without "seq", e.g.
--         {"id":"m1","sentAt":"2026-11-24T10:00:00.000Z","sender":"u1","type":"chat","data":{}}
--         The script stores it as {"seq":N,"id":...}: seq first, the rest byte for byte.
-- ARGV[4] now, epoch milliseconds
-- ARGV[5] the session's message limit
-- ARGV[6] safety TTL, seconds
-- Returns {'CREATED', message} | {'DUPLICATE', original message} | {'ENDED'} | {'FULL'} | {'UNKNOWN'}
-- seq is the list length after the push: 1, 2, 3... without gaps.
if #KEYS ~= 5 then
  return redis.error_reply('ERR append.lua takes 5 keys: live, meta, msgs, ids, pending')
end
local body = ARGV[3]
if string.sub(body, 1, 1) ~= '{' or string.sub(body, -1) ~= '}' or string.len(body) < 3 then
  return redis.error_reply('ERR message must be a non-empty JSON object')
end
local known = redis.call('HGET', KEYS[4], ARGV[2])
if known then
  return {'DUPLICATE', redis.call('LINDEX', KEYS[3], tonumber(known) - 1)}
end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  if redis.call('EXISTS', KEYS[2]) == 1 then
    return {'ENDED'}
  end
  return {'UNKNOWN'}
end
local ttl = tonumber(redis.call('HGET', KEYS[2], 'ttlMillis'))
if not ttl or ttl < 1 then
  return redis.error_reply('ERR session meta has no valid ttlMillis')
end
local count = redis.call('LLEN', KEYS[3])
if count >= tonumber(ARGV[5]) then
  return {'FULL'}
end
local seq = count + 1
local message = '{"seq":' .. string.format('%d', seq) .. ',' .. string.sub(body, 2)
local now = tonumber(ARGV[4])
local keep = math.floor(ttl / 1000) + tonumber(ARGV[6])
redis.call('RPUSH', KEYS[3], message)
redis.call('HSET', KEYS[4], ARGV[2], seq)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('HSET', KEYS[2], 'expiresAt', string.format('%.0f', now + ttl))
redis.call('EXPIRE', KEYS[2], keep)
redis.call('EXPIRE', KEYS[3], keep)
redis.call('EXPIRE', KEYS[4], keep)
-- The pending set must outlive every instance it lists.
if redis.call('TTL', KEYS[5]) < keep then
  redis.call('EXPIRE', KEYS[5], keep)
end
return {'CREATED', message}
