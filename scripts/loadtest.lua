-- wrk script for `make loadtest`: each wrk thread is one signed-in demo person on one
-- connection, cycling through page views and twitch logging.
--
-- Arguments (after `--`): seconds to run, the sessions file (one "sessionid csrftoken"
-- line per person) and the file holding the urlencoded body of a valid log form. The
-- results go to the file named by the LOADTEST_RESULT environment variable, as
-- key=value lines for scripts/loadtest.sh.
--
-- Each thread stops itself, after a response and before its next request, once the
-- time is up. With one connection per thread nothing is left in flight, so every log
-- request sent has had its answer counted: rows written can be compared exactly.

local MIX = {
  { "GET", "/" },
  { "GET", "/log/" },
  { "POST", "/log/" },
  { "GET", "/journal/" },
  { "GET", "/trends/" },
  { "POST", "/log/" },
  { "GET", "/flags/" },
  { "GET", "/journal/" },
}

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  table.insert(threads, thread)
  next_id = next_id + 1
end

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then
      table.insert(lines, line)
    end
  end
  return lines
end

function init(args)
  seconds = tonumber(args[1])
  local sessions = read_lines(args[2])
  local session, csrf = sessions[(id - 1) % #sessions + 1]:match("^(%S+)%s+(%S+)$")
  local body = read_lines(args[3])[1] .. "&csrfmiddlewaretoken=" .. csrf
  local cookie = "sessionid=" .. session .. "; csrftoken=" .. csrf
  requests_by_step = {}
  for i, step in ipairs(MIX) do
    local headers = { Cookie = cookie }
    local payload = nil
    if step[1] == "POST" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      payload = body
    end
    requests_by_step[i] = wrk.format(step[1], step[2], headers, payload)
  end
  step = 0
  started = os.time()
  -- Counters read by done() through thread:get().
  pages_ok = 0
  logs_ok = 0
  unexpected = 0
  statuses = {}
end

function request()
  step = step % #MIX + 1
  return requests_by_step[step]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local location = headers["Location"] or ""
  if MIX[step][1] == "POST" then
    -- A saved twitch redirects (post/redirect/get); a bad form would answer 200.
    if status == 302 and not location:find("/accounts/login/", 1, true) then
      logs_ok = logs_ok + 1
    else
      unexpected = unexpected + 1
    end
  elseif status == 200 then
    pages_ok = pages_ok + 1
  else
    unexpected = unexpected + 1
  end
  if os.time() - started >= seconds then
    wrk.thread:stop()
  end
end

function done(summary, latency, _requests)
  local totals = { pages_ok = 0, logs_ok = 0, unexpected = 0 }
  local by_status = {}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local out = assert(io.open(os.getenv("LOADTEST_RESULT"), "w"))
  out:write(string.format("seconds=%.2f\n", summary.duration / 1e6))
  out:write(string.format("requests=%d\n", summary.requests))
  out:write(string.format("rps=%.1f\n", summary.requests / (summary.duration / 1e6)))
  out:write(string.format("p50_ms=%.1f\n", latency:percentile(50) / 1000))
  out:write(string.format("p99_ms=%.1f\n", latency:percentile(99) / 1000))
  out:write(string.format("pages_ok=%d\n", totals.pages_ok))
  out:write(string.format("logs_ok=%d\n", totals.logs_ok))
  out:write(string.format("unexpected=%d\n", totals.unexpected))
  out:write(string.format("socket_errors=%d\n", socket_errors))
  out:write(string.format("errors=%d\n", totals.unexpected + socket_errors))
  local codes = {}
  for status, count in pairs(by_status) do
    table.insert(codes, status .. ":" .. count)
  end
  table.sort(codes)
  out:write("statuses=" .. table.concat(codes, ",") .. "\n")
  out:close()
end
