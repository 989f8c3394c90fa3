-- layout.lua: checks shared by every script of layout version 4 (see RedisKeys). Each
-- published script is this file followed by the script's own file; SessionScripts loads
-- them that way, and so must any other program that runs them.
-- Every script validates all of its KEYS and ARGV with these functions before its first
-- write, so a bad call changes nothing and answers an error naming what is wrong.
local LAYOUT = '4'

local function fail(message)
  error(redis.error_reply('ERR ' .. message))
end

-- ARGV[1] of every script: the layout version the caller speaks. A caller of another
-- version (layout 1 passed the session id first, layout 2 had no owners and participants,
-- layout 3 had a single due index)
-- is refused before anything is touched. most_args: the most arguments, for a script whose
-- last ones are optional (default: exactly arg_count).
local function check_version(script, key_count, arg_count, most_args)
  if ARGV[1] ~= LAYOUT then
    fail(script .. ' speaks layout ' .. LAYOUT .. ' and takes it as ARGV[1], got ' ..
      string.format('%q', tostring(ARGV[1])))
  end
  local most = most_args or arg_count
  if #KEYS ~= key_count or #ARGV < arg_count or #ARGV > most then
    local args = (most == arg_count) and tostring(arg_count) or (arg_count .. ' to ' .. most)
    fail(script .. ' takes ' .. key_count .. ' keys and ' .. args .. ' arguments, got ' ..
      #KEYS .. ' and ' .. #ARGV)
  end
end

-- A session id: a UUID in canonical lower-case form, as the keys are built with it.
local function is_session_id(value)
  return type(value) == 'string' and #value == 36
    and string.find(value, '^%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$') ~= nil
    and not string.find(value, '%u')
end

local function check_session_id(value)
  if not is_session_id(value) then
    fail('session id must be a lower-case UUID, got ' .. string.format('%q', tostring(value)))
  end
  return value
end

local function check_code(value)
  if type(value) ~= 'string' or #value < 1 or #value > 64 or not string.find(value, '^[%w_%-]+$') then
    fail('session code must match ^[A-Za-z0-9_-]{1,64}$, got ' .. string.format('%q', tostring(value)))
  end
  return value
end

-- A decimal integer in [min, max]; at most 15 digits, so exact in Lua's doubles.
local function check_integer(name, value, min, max)
  if type(value) ~= 'string' or #value > 15 or not string.find(value, '^%d+$') then
    fail(name .. ' must be a non-negative decimal integer, got ' .. string.format('%q', tostring(value)))
  end
  local number = tonumber(value)
  if number < min or number > max then
    fail(name .. ' must be between ' .. string.format('%.0f', min) .. ' and ' ..
      string.format('%.0f', max) .. ', got ' .. value)
  end
  return number
end

-- KEYS[index] must be PREFIX:{CODE}SUFFIX with the prefix of KEYS[1]; returns the prefix.
local function check_key(index, code, suffix)
  local key = KEYS[index]
  local tail = ':{' .. code .. '}' .. suffix
  if type(key) ~= 'string' or #key <= #tail or string.sub(key, -#tail) ~= tail then
    fail('KEYS[' .. index .. '] must be PREFIX:{' .. code .. '}' .. suffix .. ', got ' ..
      string.format('%q', tostring(key)))
  end
  local prefix = string.sub(key, 1, #key - #tail)
  if not string.find(prefix, '^[%w_%.%-]+$') or #prefix > 32 then
    fail('KEYS[' .. index .. '] has an invalid prefix ' .. string.format('%q', prefix))
  end
  if index > 1 then
    local first = string.match(KEYS[1], '^(.-):{')
    if first ~= prefix then
      fail('KEYS[' .. index .. '] has prefix ' .. string.format('%q', prefix) .. ', KEYS[1] ' ..
        string.format('%q', tostring(first)))
    end
  end
  return prefix
end

-- The code of a per-session key, taken from its hash tag, for scripts that get no code.
local function code_of(key)
  local code = string.match(tostring(key), ':{([%w_%-]+)}')
  return check_code(code)
end

-- Epoch milliseconds accepted as "now": 2001 to 2286, so a unit mix-up is refused.
local MIN_NOW, MAX_NOW = 1e12, 1e13 - 1
-- The longest idle TTL and safety TTL the layout stores (100 years).
local MAX_TTL_MILLIS, MAX_SAFETY_SECONDS = 3153600000000, 3153600000

-- Whether value is well-formed UTF-8 (no overlong forms, no surrogates).
local function is_utf8(value)
  local i, n = 1, #value
  while i <= n do
    local c = string.byte(value, i)
    local length
    if c < 0x80 then
      length = 1
    elseif c >= 0xC2 and c <= 0xDF then
      length = 2
    elseif c >= 0xE0 and c <= 0xEF then
      length = 3
    elseif c >= 0xF0 and c <= 0xF4 then
      length = 4
    else
      return false
    end
    if i + length - 1 > n then
      return false
    end
    for j = i + 1, i + length - 1 do
      local d = string.byte(value, j)
      if d < 0x80 or d > 0xBF then
        return false
      end
    end
    local d = string.byte(value, i + 1)
    if (c == 0xE0 and d < 0xA0) or (c == 0xED and d > 0x9F) or (c == 0xF0 and d < 0x90)
        or (c == 0xF4 and d > 0x8F) then
      return false
    end
    i = i + length
  end
  return true
end

-- A user id (an owner or a participant): opaque UTF-8 text of 1 to 256 bytes without
-- control characters (bytes below 0x20, and 0x7F), such as a token's subject 'auth0|abc'.
local function check_user_id(name, value)
  if type(value) ~= 'string' or #value < 1 or #value > 256 or string.find(value, '[%z\1-\31\127]')
      or not is_utf8(value) then
    fail(name .. ' must be 1 to 256 bytes of UTF-8 without control characters, got ' ..
      string.format('%q', string.sub(tostring(value), 1, 300)))
  end
  return value
end

-- A participant's rights: a comma-separated subset of read, append and end, in that
-- order. Returns them as a set {read=true, ...}; nil for anything else.
local RIGHTS = {'read', 'append', 'end'}

local function parse_rights(value)
  if type(value) ~= 'string' or value == '' then
    return nil
  end
  local set, at = {}, 1
  for word in string.gmatch(value .. ',', '([^,]*),') do
    while at <= #RIGHTS and RIGHTS[at] ~= word do
      at = at + 1
    end
    if at > #RIGHTS then
      return nil
    end
    set[word] = true
    at = at + 1
  end
  return set
end

local function rights_text(set)
  local words = {}
  for _, word in ipairs(RIGHTS) do
    if set[word] then
      words[#words + 1] = word
    end
  end
  return table.concat(words, ',')
end

-- The most participants one instance may have, as a script argument.
local MAX_PARTICIPANTS = 1e6
