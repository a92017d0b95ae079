-- wrk script for `make loadtest`: each wrk thread is one signed-in demo person on one
-- connection, cycling through page views and twitch logging.
--
-- Arguments (after `--`): seconds to run, the sessions file (one "sessionid csrftoken"
-- line per person), the file holding the urlencoded body of a valid log form and,
-- optionally, a file of API tokens (one a line, in the sessions' order): with it each
-- person's round also logs a twitch through the API, with an Idempotency-Key of its own.
-- The results go to the file named by the LOADTEST_RESULT environment variable, as
-- key=value lines for scripts/loadtest.sh.
--
-- Every log sent carries a note of its own ("Logged by the load test. <phase>-<thread>-<n>",
-- the phase from LOADTEST_PHASE), and the notes of the logs the app answered as saved
-- go to the file named by LOADTEST_SAVED, one a line: the scripts look each one up in
-- the database, so a twitch saved twice or a saved answer without its row shows.
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
  form_body = read_lines(args[3])[1] .. "&csrfmiddlewaretoken=" .. csrf
  assert(form_body:find("notes=", 1, true), "the log form body has no notes field")
  if args[4] then
    local tokens = read_lines(args[4])
    table.insert(MIX, 2, { "API", "/api/v1/twitches/" })
    api_authorization = "Bearer " .. tokens[(id - 1) % #tokens + 1]
  end
  local cookie = "sessionid=" .. session .. "; csrftoken=" .. csrf
  requests_by_step = {}
  for i, step in ipairs(MIX) do
    if step[1] == "GET" then
      requests_by_step[i] = wrk.format("GET", step[2], { Cookie = cookie })
    end
  end
  post_headers = { Cookie = cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }
  marker_prefix = (os.getenv("LOADTEST_PHASE") or "load") .. "-" .. id .. "-"
  sent = 0
  marker = nil
  saved = {}
  step = 0
  started = os.time()
  -- Counters read by done() through thread:get().
  pages_ok = 0
  logs_ok = 0
  unexpected = 0
  statuses = {}
  post_statuses = {}
  api_statuses = {}
  api_replayed = 0
end

function request()
  step = step % #MIX + 1
  local kind = MIX[step][1]
  if kind == "GET" then
    return requests_by_step[step]
  end
  sent = sent + 1
  marker = marker_prefix .. sent
  if kind == "API" then
    local headers = {
      Authorization = api_authorization,
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = "loadtest-" .. marker,
    }
    local payload = string.format(
      '{"location": "calf", "side": "left", "notes": "Logged by the load test. %s"}', marker
    )
    return wrk.format("POST", MIX[step][2], headers, payload)
  end
  local payload = form_body:gsub("notes=([^&]*)", "notes=%1+" .. marker, 1)
  return wrk.format("POST", MIX[step][2], post_headers, payload)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local location = headers["Location"] or ""
  if MIX[step][1] == "API" then
    api_statuses[status] = (api_statuses[status] or 0) + 1
    if status == 201 then
      logs_ok = logs_ok + 1
      table.insert(saved, marker)
      if headers["Idempotent-Replayed"] == "true" then
        api_replayed = api_replayed + 1
      end
    else
      unexpected = unexpected + 1
    end
  elseif MIX[step][1] == "POST" then
    post_statuses[status] = (post_statuses[status] or 0) + 1
    -- A saved twitch redirects (post/redirect/get); a bad form would answer 200.
    if status == 302 and not location:find("/accounts/login/", 1, true) then
      logs_ok = logs_ok + 1
      table.insert(saved, marker)
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

local function status_list(by_status)
  local codes = {}
  for status, count in pairs(by_status) do
    table.insert(codes, status .. ":" .. count)
  end
  table.sort(codes)
  return table.concat(codes, ",")
end

function done(summary, latency, _requests)
  local totals = { pages_ok = 0, logs_ok = 0, unexpected = 0, api_replayed = 0 }
  local by_status = {}
  local post_by_status = {}
  local api_by_status = {}
  local saved_file = os.getenv("LOADTEST_SAVED") and assert(io.open(os.getenv("LOADTEST_SAVED"), "w"))
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
    for status, count in pairs(thread:get("post_statuses")) do
      post_by_status[status] = (post_by_status[status] or 0) + count
    end
    for status, count in pairs(thread:get("api_statuses")) do
      api_by_status[status] = (api_by_status[status] or 0) + count
    end
    if saved_file then
      for _, note in ipairs(thread:get("saved")) do
        saved_file:write(note, "\n")
      end
    end
  end
  if saved_file then
    saved_file:close()
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
  out:write("statuses=" .. status_list(by_status) .. "\n")
  out:write("post_statuses=" .. status_list(post_by_status) .. "\n")
  out:write("api_statuses=" .. status_list(api_by_status) .. "\n")
  out:write(string.format("api_replayed=%d\n", totals.api_replayed))
  out:close()
end
