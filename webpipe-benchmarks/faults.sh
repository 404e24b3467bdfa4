#!/usr/bin/env bash
# The load test with faults (docs/production.md, docs/security.md): does the server hold?
#
# 1. Load: CONNECTIONS connections for DURATION on GET /wp/faults/:id, a route with two @async fetches of a
#    flaky stub upstream (0-300 ms, 10 % answer 500, 5 % reset the connection) and a pg query on a real
#    PostgreSQL (embedded). Prints requests, responses by status and by error type, socket errors (must be 0),
#    p50/p99, then the heap after a full GC (must stay under the application's -Xmx) and whether an
#    OutOfMemoryError was logged.
# 2. Hostile inputs: requests that once made ordinary routes misbehave (internals in error bodies, secrets in
#    logs, rounded numbers, deep nesting, runaway jq and Lua, SQL that never ends, requests that steer outbound
#    calls, fan-out, fire-and-forget tasks, idle connections), each with its status, time and the start of its
#    answer; then the server must still answer an ordinary request promptly.
#
# Every target is on 127.0.0.1; each phase is bounded in time and the processes it starts are stopped at the end.
#
# Usage: webpipe-benchmarks/faults.sh
# Environment (defaults in brackets): DURATION [60s], CONNECTIONS [200], THREADS [2],
# APP_JAVA_OPTS [-Xms512m -Xmx512m], SKIP_BUILD=1 to use the jar as built, SKIP_HOSTILE=1 for the load only.
DURATION="${DURATION:-60s}"
CONNECTIONS="${CONNECTIONS:-200}"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

UPSTREAM_JAVA_OPTS="-Xms64m -Xmx256m"

ensure_wrk
ensure_tool curl curl
for tool in java jcmd; do
	command -v "$tool" >/dev/null 2>&1 || { echo "$tool is missing: install a JDK 17 or later" >&2; exit 2; }
done
build_jar
init_work
start_upstream 20

# The production settings of docs/production.md (outbound calls only to the stub upstream, a statement timeout
# shorter than the probes' 20 s), with log steps at INFO so the redaction can be checked.
start_app --server.netty.idle-timeout=30s --webpipe.fetch.allowed-hosts="127.0.0.1:$UPSTREAM_PORT" \
	--webpipe.pg.statement-timeout=10s --logging.level.webpipe.log=INFO
echo "upstream pid $UPSTREAM_PID on port $UPSTREAM_PORT; application pid $APP_PID on port $APP_PORT ($APP_JAVA_OPTS)" >&2

heap_after_gc() {
	jcmd "$APP_PID" GC.run >/dev/null
	jcmd "$APP_PID" GC.heap_info | awk '/heap/ && /used/ { sub(/^ +/, ""); print; exit }'
}
healthy() {
	local out
	out="$(curl -sS -m 5 -o /dev/null -w '%{http_code} %{time_total}s' "$BASE/wp/hello/world" 2>/dev/null || true)"
	case "$out" in 000*|"") echo "no answer within 5 s" ;; *) echo "$out" ;; esac
}

# ---- 1. load with faults -----------------------------------------------------------------------------------------
cat >"$WORK/count.lua" <<'LUA'
-- Counts responses by status and, for error responses, by errors[0].type; wrk's own summary has the rest.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {}; types = {} end
function response(status, headers, body)
	statuses[status] = (statuses[status] or 0) + 1
	if status >= 400 then
		local t = body and string.match(body, '"type":"([%w_]+)"') or "none"
		types[t] = (types[t] or 0) + 1
	end
end
function done(summary, latency, requests)
	local s, t = {}, {}
	for _, thread in ipairs(threads) do
		for k, v in pairs(thread:get("statuses")) do s[k] = (s[k] or 0) + v end
		for k, v in pairs(thread:get("types")) do t[k] = (t[k] or 0) + v end
	end
	local e = summary.errors
	io.write(string.format("requests: %d in %.1f s (%.0f/s)\n", summary.requests, summary.duration / 1e6,
		summary.requests / (summary.duration / 1e6)))
	local line = "responses by status:"
	for k, v in pairs(s) do line = line .. string.format(" %s=%d", k, v) end
	io.write(line .. "\n")
	line = "error responses by type:"
	for k, v in pairs(t) do line = line .. string.format(" %s=%d", k, v) end
	io.write(line .. "\n")
	io.write(string.format("socket errors: connect=%d read=%d write=%d timeout=%d (total %d, must be 0)\n",
		e.connect, e.read, e.write, e.timeout, e.connect + e.read + e.write + e.timeout))
	io.write(string.format("latency: p50=%.1f ms p99=%.1f ms max=%.1f ms\n", latency:percentile(50) / 1000,
		latency:percentile(99) / 1000, latency.max / 1000))
end
LUA

echo "warm-up (5 s, 16 connections) ..." >&2
wrk -t"$THREADS" -c16 -d5s "$BASE/wp/faults/42" >/dev/null
echo
echo "## Load with faults: $CONNECTIONS connections for $DURATION on GET /wp/faults/42"
echo "(two @async fetches of an upstream answering in 0-300 ms, 10 % 500, 5 % reset; one pg query)"
# wrk's own timeout is above the application's longest budget on this route (the 10 s fetch timeout): a request
# the application answers with 504 at its budget is an answer, not a socket error.
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 15s -s "$WORK/count.lua" "$BASE/wp/faults/42" \
	| sed -n '/^requests:/,$p'
echo "heap after a full GC: $(heap_after_gc)"
if grep -q OutOfMemoryError "$WORK/app.log"; then echo "OutOfMemoryError: LOGGED"; else echo "OutOfMemoryError: none"; fi
echo "ordinary request afterwards: $(healthy)"

[ "${SKIP_HOSTILE:-0}" = 1 ] && exit 0

# ---- 2. hostile inputs -------------------------------------------------------------------------------------------
# One request: prints "label: status time body-start".
probe() {
	local label="$1"; shift
	local out status time body
	out="$(curl -sS -m 20 -o "$WORK/body" -w '%{http_code} %{time_total}' "$@" 2>/dev/null || true)"
	status="${out%% *}"; time="${out##* }"
	if [ "$status" = 000 ] || [ -z "$status" ]; then status="no answer"; fi
	body="$(head -c 160 "$WORK/body" 2>/dev/null | tr '\n' ' ' || true)"
	printf '  %-58s %-9s %6.2fs  %s\n' "$label" "$status" "$time" "$body"
	: >"$WORK/body"
}
# A JSON POST: probe_json label json url.
probe_json() {
	printf '%s' "$2" >"$WORK/payload"
	probe "$1" -X POST -H 'Content-Type: application/json' --data-binary "@$WORK/payload" "$3"
}
deep() { python3 -c "import sys; n=int(sys.argv[1]); sys.stdout.write('['*n + ']'*n)" "$1"; }

echo
echo "## Hostile inputs: what the server reveals"
probe_json "two JSON values in one body" '{"a":1}{"b":2}' "$BASE/hostile/echo"
deep 100000 >"$WORK/deep"
probe "JSON nested 100,000 deep" -X POST -H 'Content-Type: application/json' --data-binary "@$WORK/deep" "$BASE/hostile/echo"
deep 1000 >"$WORK/deep"
probe "JSON nested 1,000 deep" -X POST -H 'Content-Type: application/json' --data-binary "@$WORK/deep" "$BASE/hostile/echo"
head -c 400000 /dev/zero | tr '\0' 'x' | sed 's/^/"/; s/$/"/' >"$WORK/big"
probe "a 400 KB body (limit 256 KB)" -X POST -H 'Content-Type: application/json' --data-binary "@$WORK/big" "$BASE/hostile/echo"
probe "an unhandled sqlError (/wp/users/abc)" "$BASE/wp/users/abc"
probe "?id=12345678901234567890 and a 20-digit path parameter" "$BASE/hostile/ids/98765432109876543210?id=12345678901234567890"
probe "log step with credentials" -H 'Authorization: Bearer token-secret' -H 'Cookie: sid=cookie-secret' "$BASE/hostile/logged"
sleep 1
if grep -q -e token-secret -e cookie-secret "$WORK/app.log"; then
	echo "  credentials in the application log: FOUND"
else
	echo "  credentials in the application log: none"
fi

echo
echo "## Hostile inputs: outbound safety"
probe "pg_sleep(45) (s=45; statement timeout 10 s)" "$BASE/hostile/sleep?s=45"
probe "fetch(.query.url) to a loopback port" "$BASE/hostile/fetch?url=http://127.0.0.1:$APP_PORT/wp/hello/admin"
probe_json "body fetchUrl/fetchMethod steering a fixed fetch" "{\"fetchUrl\":\"$UPSTREAM/admin\",\"fetchMethod\":\"DELETE\"}" "$BASE/hostile/merge-then-fetch"
probe "path parameter ..%2F..%2Fadmin%3Fx=1" "$BASE/hostile/path/..%2F..%2Fadmin%3Fx=1"
python3 -c 'import json; print(json.dumps({"items": [{"i": i} for i in range(5000)]}))' >"$WORK/items"
probe "foreach over 5,000 items, one fetch each" -X POST -H 'Content-Type: application/json' --data-binary "@$WORK/items" "$BASE/hostile/foreach"
echo "  300 fire-and-forget requests (a never-joined 9 s fetch each), then an ordinary request:"
PIDS=()
for i in $(seq 1 300); do curl -sS -m 20 -o /dev/null "$BASE/hostile/detached" 2>/dev/null & PIDS+=($!); done
wait "${PIDS[@]}" || true
echo "  ordinary request: $(healthy)"

echo
echo "## Idle connections"
python3 - "$APP_PORT" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
sockets = []
for _ in range(500):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    sockets.append(s)
print(f"  500 half-open connections opened (nothing sent); the idle timeout is 30 s")
deadline = time.time() + 45
closed = 0
for s in sockets:
    s.settimeout(max(0.1, deadline - time.time()))
    try:
        if s.recv(1) == b"":
            closed += 1
    except (ConnectionResetError, OSError):
        closed += 1
print(f"  closed by the server within 45 s: {closed} of 500")
for s in sockets:
    s.close()
PY

echo
echo "## Hostile inputs: budgets of jq and Lua (last: a runaway evaluation may hold a thread for long)"
probe "jq reduce range(1e8)" "$BASE/hostile/jq-range?n=100000000"
probe "jq [range(1e8)]" "$BASE/hostile/jq-array?n=100000000"
probe_json "jq backtracking regex ^(a+)+\$ on 28 a's and !" '{"text":"aaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}' "$BASE/hostile/jq-regex"
probe_json "jq string * 1000000 on 1 KB" "{\"text\":\"$(head -c 1024 /dev/zero | tr '\0' 'a')\"}" "$BASE/hostile/jq-repeat"
probe_json "Lua string.rep(\"x\", 4e8)" '{"n":400000000}' "$BASE/hostile/lua-rep"
PATTERN="$(python3 -c 'print("a*" * 24 + "b")')"
printf '{"text":"%s","pattern":"%s"}' "$(head -c 40 /dev/zero | tr '\0' 'a')" "$PATTERN" >"$WORK/lua-find"
echo "  24 Lua pattern matches (\"a*\" x 24 .. \"b\") in parallel, then an ordinary request:"
PIDS=()
for i in $(seq 1 24); do
	curl -sS -m 20 -o /dev/null -w "%{http_code}\n" -X POST -H 'Content-Type: application/json' \
		--data-binary "@$WORK/lua-find" "$BASE/hostile/lua-find" >>"$WORK/lua-find.out" 2>/dev/null &
	PIDS+=($!)
done
sleep 2
echo "  ordinary request while they run: $(healthy)"
wait "${PIDS[@]}" || true
echo "  their statuses: $(sort "$WORK/lua-find.out" | uniq -c | tr -s ' \n' ' ')"

echo
echo "## Afterwards"
echo "ordinary request: $(healthy)"
echo "heap after a full GC: $(heap_after_gc)"
if grep -q OutOfMemoryError "$WORK/app.log"; then echo "OutOfMemoryError: LOGGED"; else echo "OutOfMemoryError: none"; fi
kill -0 "$APP_PID" 2>/dev/null && echo "application process: alive" || echo "application process: GONE"
