-- wrk against RaftStore's REST API. Environment: WRK_DIR (this folder), WRK_OP put|fill|get,
-- WRK_CONSISTENCY linearizable|lease|stale (for get), WRK_AUTH base64 of user:password.
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local op = os.getenv("WRK_OP") or "put"
local consistency = os.getenv("WRK_CONSISTENCY") or "linearizable"
local auth = "Basic " .. (os.getenv("WRK_AUTH") or "")

function request()
  local path = "/api/kv/" .. workload_key(next_key(op))
  if op == "get" then
    return wrk.format("GET", path .. "?consistency=" .. consistency, { Authorization = auth })
  end
  return wrk.format("PUT", path, { Authorization = auth, ["Content-Type"] = "application/octet-stream" }, VALUE)
end
