#!/usr/bin/env bash
# Routing at scale (docs/performance.md#routing): the cost of finding a route among many, and of parsing and
# compiling many routes.
#
# Part 1 (in-process, apart from Spring's start): parse + compile programs of 1,000 and 10,000 routes, best of five,
# and the heap the compiled program holds per route.
# Part 2 (over HTTP, wrk): GET /hello/:name (one jq step) as the only route, then beside 1,000 and 10,000 other
# routes (half /svc<i>/items/:id, half parameter-heavy /p<i>/:a/:b/:c); with many routes also the first, a middle and
# the last of the others and a parameter-heavy one. Every figure is compared with /hello/:name served alone.
#
# Usage: webpipe-benchmarks/routing.sh
# Environment (defaults in brackets): COUNTS [1000 10000], DURATION [10s], WARMUP per row [8s], START_WARMUP
# after each start of the application [60s: the JIT is still compiling the request path before that], THREADS [2],
# CONNECTIONS [32], APP_JAVA_OPTS [-Xms512m -Xmx512m], SKIP_BUILD=1 to use the jar as built.
WARMUP="${WARMUP:-8s}"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

COUNTS="${COUNTS:-1000 10000}"
START_WARMUP="${START_WARMUP:-60s}"

ensure_wrk
build_jar
init_work

echo "## Parsing and compiling (in-process)"
echo
# shellcheck disable=SC2086
java $APP_JAVA_OPTS -jar "$JAR" routing-compile $COUNTS
echo

# Starts the application with N other routes; sets APP_PID and BASE.
start_routing_app() {
	stop "${APP_PID:-}"
	run_jar app routing-server "--routing.others=$1" "--routing.port-file=$WORK/app.port"
	app_serving
	curl -fsS "$BASE/hello/world" >/dev/null
	measure "$START_WARMUP" "$BASE/hello/world" >/dev/null
}

measure() {
	measure_wrk "$APP_PID" "$THREADS" "$CONNECTIONS" "$1" "$2" "$WORK/wrk.out"
}

ROWS="$WORK/rows"
: >"$ROWS"
row() { # label others path
	measure "$WARMUP" "$BASE$3" >/dev/null
	local line
	line="$(measure "$DURATION" "$BASE$3")"
	echo "  $1 with $2 others ($3): $line" >&2
	echo "$1|$2|$3|$line" >>"$ROWS"
}

start_routing_app 0
row "GET /hello/:name" 0 /hello/world
for n in $COUNTS; do
	start_routing_app "$n"
	row "GET /hello/:name" "$n" /hello/world
	row "first other route" "$n" /svc0/items/7
	middle=$(( (n / 2) / 2 * 2 ))
	row "middle other route" "$n" "/svc$middle/items/7"
	last=$(( (n - 1) / 2 * 2 ))
	row "last other route" "$n" "/svc$last/items/7"
	row "parameter-heavy route" "$n" "/p$(( n - 1 ))/x/y/z"
done

echo "## Routing (wrk -t$THREADS -c$CONNECTIONS -d$DURATION after a $WARMUP warm-up; $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC'))"
echo
echo "| request | other routes | req/s | p50 / p99 ms | app CPU µs/request | ratio to /hello alone (target ≥ 0.90) |"
echo "|---|---:|---:|---|---:|---:|"
awk -F'|' '
	NR == 1 { split($4, base, " ") }
	{ split($4, m, " "); ratio = m[1] / base[1];
	  printf "| %s `%s` | %d | %.0f | %.2f / %.2f | %.0f | %.2f%s |\n", $1, $3, $2, m[1], m[2], m[3], m[5], ratio,
	    (m[4] > 0) ? " (" m[4] " failed)" : "" }' "$ROWS"
