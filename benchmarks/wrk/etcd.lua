-- wrk against etcd 3.4's JSON gateway (grpc-gateway, /v3/kv/...). Environment: WRK_DIR (this folder),
-- WRK_OP put|fill|get|get-serializable. Keys and values travel base64-encoded, as the gateway wants.
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local op = os.getenv("WRK_OP") or "put"
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = 4 - (b and 0 or 1) - (c and 0 or 1)
    for j = 1, 4 do
      local d = math.floor(n / 2 ^ (6 * (4 - j))) % 64
      out[#out + 1] = j <= chars and alphabet:sub(d + 1, d + 1) or "="
    end
  end
  return table.concat(out)
end

local value64 = base64(VALUE)
local keys64 = {}
local headers = { ["Content-Type"] = "application/json" }

function request()
  local i = next_key(op)
  local key = keys64[i]
  if not key then
    key = base64(workload_key(i))
    keys64[i] = key
  end
  if op == "put" or op == "fill" then
    return wrk.format("POST", "/v3/kv/put", headers, '{"key":"' .. key .. '","value":"' .. value64 .. '"}')
  end
  local serializable = op == "get-serializable" and ',"serializable":true' or ""
  return wrk.format("POST", "/v3/kv/range", headers, '{"key":"' .. key .. '"' .. serializable .. '}')
end
