-- layout.lua: checks shared by every script of layout version 2 (see RedisKeys). Each
-- published script is this file followed by the script's own file; SessionScripts loads
-- them that way, and so must any other program that runs them.
-- Every script validates all of its KEYS and ARGV with these functions before its first
-- write, so a bad call changes nothing and answers an error naming what is wrong.
local LAYOUT = '2'

local function fail(message)
  error(redis.error_reply('ERR ' .. message))
end

-- ARGV[1] of every script: the layout version the caller speaks. A caller of another
-- version (layout 1 passed the session id first) is refused before anything is touched.
local function check_version(script, key_count, arg_count)
  if ARGV[1] ~= LAYOUT then
    fail(script .. ' speaks layout ' .. LAYOUT .. ' and takes it as ARGV[1], got ' ..
      string.format('%q', tostring(ARGV[1])))
  end
  if #KEYS ~= key_count or #ARGV ~= arg_count then
    fail(script .. ' takes ' .. key_count .. ' keys and ' .. arg_count .. ' arguments, got ' ..
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
