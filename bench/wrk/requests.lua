-- wrk script: replays a request file written by bench/lib/mkreqs.py ("METHOD<TAB>TARGET[<TAB>BODY]"
-- a line, parameters drawn from the corpus), each thread from its own offset, with the API key.
-- usage: wrk -t2 -c16 -d5s -s bench/wrk/requests.lua http://127.0.0.1:PORT -- FILE KEY
-- At the end prints one line "CMJSON {...}" (requests, errors, non-2xx, latency percentiles)
-- for bench/run and tests/load/smoke.sh. wrk is closed loop: use it for throughput, not for
-- latency percentiles under a fixed rate (bench/lib/cmload.c does that).

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

local reqs = {}
local pos = 1

function init(args)
   local path, key = args[1], args[2] or ""
   if not path then
      error("requests.lua needs: -- FILE [KEY]")
   end
   local f = assert(io.open(path, "r"))
   local n = 0
   for line in f:lines() do
      local method, target, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
      if method then
         local headers = { ["Authorization"] = "Bearer " .. key }
         if body == "" then
            body = nil
         else
            headers["Content-Type"] = "application/json"
         end
         n = n + 1
         reqs[n] = wrk.format(method, target, headers, body)
      end
   end
   f:close()
   if n == 0 then
      error("no request in " .. path)
   end
   -- threads start at different places so they do not ask the same thing in lockstep
   pos = ((id or 1) * 7919) % n + 1
end

function request()
   local r = reqs[pos]
   pos = pos + 1
   if pos > #reqs then
      pos = 1
   end
   return r
end

function done(summary, latency, requests)
   -- errors.status is wrk's "Non-2xx or 3xx responses"; no response() hook, which would
   -- make wrk parse every body and slow it down.
   local e = summary.errors
   io.write(string.format(
      'CMJSON {"requests":%d,"duration_s":%.3f,"rps":%.1f,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"non2xx":%d,' ..
      '"mean_ms":%.3f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f}\n',
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
      latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
end
