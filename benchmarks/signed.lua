-- wrk script: replays pre-signed Twilio webhook requests (one unique MessageSid each), one file line per request:
-- <signature>\t<url-encoded body>. Each wrk thread takes every Nth line so no MessageSid is sent twice.
local lines = {}
local index = 0
local step = 1
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local path = os.getenv("BENCH_REQUESTS")
  for line in io.lines(path) do
    lines[#lines + 1] = line
  end
  index = (offset or 0) + 1
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
end

function request()
  local line = lines[index]
  if line == nil then
    index = (offset or 0) + 1
    line = lines[index]
  end
  index = index + step
  local tab = string.find(line, "\t", 1, true)
  local signature = string.sub(line, 1, tab - 1)
  local body = string.sub(line, tab + 1)
  return wrk.format("POST", "/webhooks/twilio", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Twilio-Signature"] = signature,
  }, body)
end
