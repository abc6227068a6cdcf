-- wrk script: POSTs GraphQL requests read from $BENCH_BODIES, one per line as
-- "<bearer token or empty>\t<JSON body>", taking the lines in turn (each thread starts at a
-- different line). Every response is checked: anything but a 200 with `data` and no `errors`
-- counts as an error, and `done` prints the total for bench/run to read.

local requests = {}

-- Built in `init`, once wrk has set the Host header from the URL.
local function load_requests()
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    local token, body = line:match("^([^\t]*)\t(.*)$")
    local headers = {
      ["Host"] = wrk.headers["Host"],
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/graphql-response+json, application/json",
    }
    if token ~= "" then
      headers["Authorization"] = "Bearer " .. token
    end
    requests[#requests + 1] = wrk.format("POST", os.getenv("BENCH_PATH") or "/graphql", headers, body)
  end
end

local threads = {}

function setup(thread)
  thread:set("first", #threads * 7919)
  threads[#threads + 1] = thread
end

function init(args)
  load_requests()
  errors = 0
  sample = nil
  next_request = first % #requests
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function response(status, headers, body)
  if status ~= 200 or body:find('"errors"', 1, true) or not body:find('"data"', 1, true) then
    errors = errors + 1
    if sample == nil then
      sample = status .. " " .. body:sub(1, 300)
    end
  end
end

function done(summary, latency, requests_done)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("errors")
    local sample = thread:get("sample")
    if sample ~= nil then
      io.stderr:write("first error: " .. sample .. "\n")
    end
  end
  io.write(string.format("BENCH errors=%d\n", total))
end
