#!/usr/bin/env bash
# Memory at concurrency (docs/performance.md#memory-at-concurrency).
#
# Part 1: CONCURRENT (3,000) connections on the fan-out route (three @async fetches and a join, so three upstream
# calls in flight per request), the stub upstream answering after UPSTREAM_DELAY_MS (200), for DURATION with wrk (a
# closed loop: each connection sends its next request when the last is answered); prints requests, socket errors
# and non-2xx (both must be 0), p50/p99/p99.9/max, the heap after a full collection and the bytes allocated per
# request (all threads of the application). wrk counts a request not answered within WRK_TIMEOUT as a timeout
# among its socket errors; on two cores the 3,000 connections queue for seconds (see docs/performance.md), so the
# default is 30 s and the slowest answer is printed beside it.
# Part 2: BURSTS (5) waves of CONCURRENT requests sent at the same moment, each on its own kept-alive connection,
# every wave waited for to the last answer: CONCURRENT requests (and three times as many upstream calls) in the
# application at once; prints the requests answered 200, the non-2xx, the errors and the slowest wave.
# Part 3: IDLE (10,000) keep-alive connections opened, each after one request, and held; prints the heap after a
# full collection with and without them, and the cost per connection.
#
# The hard open-file limit here is about 20,000: the script raises the soft limit to the hard one (at most
# 20,000) and keeps every count under it.
#
# Usage: webpipe-benchmarks/concurrency.sh
# Environment (defaults in brackets): ROUTE [/wp/fanout; /hw/fanout is its hand-written twin],
# CONCURRENT [3000], BURSTS [5], IDLE [10000], DURATION [30s], WRK_TIMEOUT [30s], UPSTREAM_DELAY_MS [200],
# APP_JAVA_OPTS [-Xms1g -Xmx1g], SKIP_BUILD=1 to use the jar as built.
APP_JAVA_OPTS="${APP_JAVA_OPTS:--Xms1g -Xmx1g}"
UPSTREAM_JAVA_OPTS="-Xms256m -Xmx512m"
DURATION="${DURATION:-30s}"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ROUTE="${ROUTE:-/wp/fanout}"
CONCURRENT="${CONCURRENT:-3000}"
BURSTS="${BURSTS:-5}"
IDLE="${IDLE:-10000}"
WRK_TIMEOUT="${WRK_TIMEOUT:-30s}"
UPSTREAM_DELAY_MS="${UPSTREAM_DELAY_MS:-200}"

hard="$(ulimit -Hn)"
if [ "$hard" = unlimited ] || [ "$hard" -gt 20000 ]; then hard=20000; fi
ulimit -Sn "$hard"
if [ $((IDLE + 500)) -gt "$hard" ] || [ $((CONCURRENT * 4 + 500)) -gt "$hard" ]; then
	echo "open-file limit $hard is too low for CONCURRENT=$CONCURRENT / IDLE=$IDLE" >&2
	exit 1
fi

ensure_wrk
build_jar
init_work
start_upstream "$UPSTREAM_DELAY_MS"
# Three upstream calls per request in flight: the outbound pool must hold them all.
start_app "--webpipe.fetch.max-connections=$((CONCURRENT * 3 + 100))"

jvm() { # prints "allocated-bytes heap-used-bytes"
	curl -fsS "$BASE/bench/jvm$1" | sed -E 's/.*"allocatedBytes":([0-9]+).*"heapUsedBytes":([0-9]+).*/\1 \2/'
}

# The warm-up runs at the measured concurrency, so the outbound pool has opened its connections to the upstream
# before the measurement: opening thousands at once overflows the upstream's accept backlog, and a dropped SYN is
# retried by the kernel after 1, 3 and 7 s, which is a connection storm, not the steady state measured here.
echo "warming up ..." >&2
wrk -t2 -c"$CONCURRENT" -d15s --timeout 30s "$BASE$ROUTE" >/dev/null
read -r _ HEAP_IDLE <<<"$(jvm '?gc=true')"
read -r ALLOC_BEFORE _ <<<"$(jvm '')"
# Prints the tail of the latency distribution, which --latency stops at p99.
cat >"$WORK/tail.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("tail %.0f %.0f\n", latency:percentile(99.9) / 1000, latency.max / 1000))
end
LUA
wrk -t2 -c"$CONCURRENT" -d"$DURATION" --timeout "$WRK_TIMEOUT" --latency -s "$WORK/tail.lua" "$BASE$ROUTE" \
	>"$WORK/wrk.out"
read -r ALLOC_AFTER _ <<<"$(jvm '')"
read -r _ HEAP_AFTER <<<"$(jvm '?gc=true')"
cat "$WORK/wrk.out" >&2

# Part 2: bursts of CONCURRENT requests at once.
java -Xms256m -Xmx512m -jar "$JAR" burst "$APP_PORT" "$ROUTE" "$CONCURRENT" "$BURSTS" "$WORK/burst.out" >&2
read -r BURST_REQUESTS BURST_OK BURST_NON2XX BURST_ERRORS BURST_SLOWEST BURST_KINDS <"$WORK/burst.out"

# Part 3: idle keep-alive connections.
launch client java -Xms256m -Xmx512m -jar "$JAR" idle-connections "$APP_PORT" /wp/hello/idle "$IDLE" \
	"$WORK/idle.ready" 600
CLIENT_PID="$LAUNCHED_PID"
for _ in $(seq 1 600); do
	if [ -s "$WORK/idle.ready" ]; then break; fi
	if ! kill -0 "$CLIENT_PID" 2>/dev/null; then cat "$WORK/client.log" >&2; exit 1; fi
	sleep 0.5
done
IDLE_OK="$(cat "$WORK/idle.ready")"
read -r _ HEAP_HELD <<<"$(jvm '?gc=true')"
stop "$CLIENT_PID"

echo
echo "## Memory at concurrency ($(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs; application JVM: $APP_JAVA_OPTS; upstream delay ${UPSTREAM_DELAY_MS} ms)"
echo
awk -v route="$ROUTE" -v conc="$CONCURRENT" -v dur="$DURATION" -v timeout="$WRK_TIMEOUT" \
	-v bursts="$BURSTS" -v breq="$BURST_REQUESTS" -v bok="$BURST_OK" -v bnon="$BURST_NON2XX" -v berr="$BURST_ERRORS" \
	-v bslow="$BURST_SLOWEST" -v bkinds="$BURST_KINDS" -v alloc="$((ALLOC_AFTER - ALLOC_BEFORE))" -v heap="$HEAP_AFTER" \
	-v heapidle="$HEAP_IDLE" -v idle="$IDLE" -v idleok="$IDLE_OK" -v held="$HEAP_HELD" "$AWK_WRK"'
	$1 == "50%" { p50 = ms($2) }
	$1 == "99%" { p99 = ms($2) }
	$1 == "tail" { p999 = $2; max = $3 }
	/requests in/ { requests = $1 }
	/Non-2xx or 3xx responses:/ { non2xx += $NF }
	/Socket errors:/ { socket += socket_errors() }
	END {
		print "| measure | value |"
		print "|---|---:|"
		printf "| %s, %d connections for %s: requests | %d |\n", route, conc, dur, requests
		printf "| socket errors, a timeout being no answer within %s (must be 0) | %d |\n", timeout, socket
		printf "| non-2xx responses (must be 0) | %d |\n", non2xx
		printf "| p50 / p99 / p99.9 / max ms | %.0f / %.0f / %.0f / %.0f |\n", p50, p99, p999, max
		printf "| %d bursts of %d requests at once: answered 200 | %d of %d |\n", bursts, conc, bok, breq
		printf "| bursts: non-2xx / errors (both must be 0) | %d / %d%s |\n", bnon, berr, (bkinds == "-") ? "" : " (" bkinds ")"
		printf "| bursts: the slowest wave, to its last answer | %d ms |\n", bslow
		printf "| heap after a full GC, before / after the run | %.1f / %.1f MB |\n", heapidle / 1048576, heap / 1048576
		printf "| bytes allocated per request (all threads) | %.0f KB |\n", (requests > 0) ? alloc / requests / 1024 : 0
		printf "| idle keep-alive connections held (answered 200) | %d of %d |\n", idleok, idle
		printf "| heap after a full GC with them held | %.1f MB |\n", held / 1048576
		printf "| heap per idle connection | %.0f bytes |\n", (idleok > 0) ? (held - heap) / idleok : 0
	}' "$WORK/wrk.out"
