-- append.lua: appends one message to a live session, atomically (layout 4, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] message list  PREFIX:{CODE}:SID:msgs
-- KEYS[4] id hash       PREFIX:{CODE}:SID:ids
-- KEYS[5] pending set   PREFIX:{CODE}:pending
-- KEYS[6] users hash    PREFIX:{CODE}:SID:users (the participants: user id -> rights)
-- ARGV[1] layout version '4'
-- ARGV[2] session id
-- ARGV[3] message id, 1 to 256 bytes (unique within the session; a repeated id is a retry)
-- ARGV[4] the message as a JSON object text without "seq", e.g.
--         {"id":"m1","sentAt":"2026-11-24T10:00:00.000Z","sender":"u1","type":"chat","data":{}}
--         The script stores it as {"seq":N,"id":...}: seq first, the rest byte for byte.
-- ARGV[5] now, epoch milliseconds
-- ARGV[6] the session's message limit (count)
-- ARGV[7] safety TTL, seconds
-- ARGV[8] the session's byte limit: the stored messages together may not exceed it
-- ARGV[9] the appending user's id (1 to 256 bytes, no control characters), or '' for none.
--         With one, the message is stored as {"seq":N,"userId":"...",...}: the user id
--         as a JSON string right after seq (so ARGV[4] must not have a "userId" member of
--         its own), and the user joins the participants with rights 'read,append' unless
--         already there (whose rights stay) or the owner (meta field 'owner').
-- ARGV[10] the session's participant limit: the most entries of the users hash
-- ARGV[11] optional, the caller's right to append, checked before anything else:
--         '' or absent: none (the caller checked it);
--         'user': the user of ARGV[9] must be the owner or hold 'append' in the users hash;
--         a decimal epoch N: a session access token minted at token epoch N, refused once
--         the instance's 'tokenEpoch' (absent: 0) is above N (the tokens were revoked).
-- Returns {'CREATED', message} | {'DUPLICATE', original message} | {'ENDED'} | {'UNKNOWN'}
--   | {'FULL'} (count limit) | {'TOO_LARGE'} (byte limit) | {'TOO_MANY_PARTICIPANTS'}
--   (a new participant past the participant limit) | {'FORBIDDEN'} (ARGV[11] refused
--   the caller; nothing about the instance is told, not even a retry's original). Bad arguments or a broken
--   instance: an error, and nothing written.
-- seq is the list length after the push: 1, 2, 3... without gaps. The meta field 'bytes'
-- counts the stored bytes (instances of layout 1 start counting at their upgrade).
check_version('append.lua', 6, 10, 11)
local sid = check_session_id(ARGV[2])
local code = code_of(KEYS[1])
check_key(1, code, ':live')
check_key(2, code, ':' .. sid .. ':meta')
check_key(3, code, ':' .. sid .. ':msgs')
check_key(4, code, ':' .. sid .. ':ids')
check_key(5, code, ':pending')
check_key(6, code, ':' .. sid .. ':users')
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
local user = ARGV[9]
if user ~= '' then
  check_user_id('user id', user)
end
local max_participants = check_integer('participant limit', ARGV[10], 1, MAX_PARTICIPANTS)
local check = ARGV[11] or ''
if check ~= '' then
  local holders = redis.call('HMGET', KEYS[2], 'owner', 'tokenEpoch')
  if check == 'user' then
    if user == '' then
      fail('the user check needs the appending user (ARGV[9])')
    end
    if holders[1] ~= user then
      local held = redis.call('HGET', KEYS[6], user)
      local rights = held and parse_rights(held)
      if not (rights and rights['append']) then
        return {'FORBIDDEN'}
      end
    end
  else
    local minted = check_integer('token epoch', check, 0, 1e15)
    local epoch = tonumber(holders[2] or '0')
    if not epoch or epoch > minted then
      return {'FORBIDDEN'}
    end
  end
end

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
local meta = redis.call('HMGET', KEYS[2], 'ttlMillis', 'bytes', 'owner')
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
-- A new participant: the user is neither the owner nor in the users hash yet.
local joins = user ~= '' and user ~= meta[3] and redis.call('HEXISTS', KEYS[6], user) == 0
if joins and redis.call('HLEN', KEYS[6]) >= max_participants then
  return {'TOO_MANY_PARTICIPANTS'}
end
local seq = count + 1
local stamp = ''
if user ~= '' then
  stamp = '"userId":' .. cjson.encode(user) .. ','
end
local message = '{"seq":' .. string.format('%d', seq) .. ',' .. stamp .. string.sub(body, 2)
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
if joins then
  redis.call('HSETNX', KEYS[6], user, 'read,append')
end
-- EXPIRE of a missing key does nothing: an instance without participants has no users hash.
redis.call('EXPIRE', KEYS[6], keep)
-- The pending set must outlive every instance it lists.
if redis.call('TTL', KEYS[5]) < keep then
  redis.call('EXPIRE', KEYS[5], keep)
end
return {'CREATED', message}
