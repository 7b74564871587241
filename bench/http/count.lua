-- wrk: stop each thread after WRK_LIMIT responses (environment, default 50000) so that a run is
-- bounded in requests as well as in time; WRK_METHOD (default GET) sets the method.
local limit = tonumber(os.getenv("WRK_LIMIT") or "50000")
local seen = 0
wrk.method = os.getenv("WRK_METHOD") or "GET"

function response(status, headers, body)
    seen = seen + 1
    if seen >= limit then wrk.thread:stop() end
end
