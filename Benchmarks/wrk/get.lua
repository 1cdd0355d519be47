-- GET with headers given in environment variables: WRK_AUTHORIZATION and WRK_HEADERS ("Name: value|Name: value").
wrk.method = "GET"
local authorization = os.getenv("WRK_AUTHORIZATION")
if authorization and authorization ~= "" then wrk.headers["Authorization"] = authorization end
local extra = os.getenv("WRK_HEADERS") or ""
for name, value in string.gmatch(extra, "([^:|]+):%s*([^|]+)") do wrk.headers[name] = value end
