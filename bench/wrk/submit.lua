-- The rater's final POST (submit), each request a different rater with a complete draft.
-- Usage: wrk ... -s submit.lua URL -- <supply file> <threads>
-- Each supply line: <path>\t<Cookie header value>\t<CSRF token>; thread t takes lines
-- t, t+threads, ... so no two requests use the same invitation. Past the end of its share a
-- thread repeats its last line: those requests are refused (410) and counted as non-2xx/3xx,
-- which run.py treats as "supply too small" and prepares more.
local count = 0

setup = function(thread)
  thread:set("tid", count)
  count = count + 1
end

init = function(args)
  local path, threads = args[1], tonumber(args[2])
  items = {}
  local i = 0
  for line in io.lines(path) do
    if i % threads == tid then
      local p, cookie, token = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
      table.insert(items, {p, cookie, "csrf_token=" .. token})
    end
    i = i + 1
  end
  nxt = 1
end

request = function()
  local item = items[nxt] or items[#items]
  nxt = nxt + 1
  return wrk.format("POST", item[1], {
    ["Cookie"] = item[2],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, item[3])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx_3xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
