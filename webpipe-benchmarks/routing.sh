#!/usr/bin/env bash
# Routing at scale (docs/performance.md#routing): the cost of finding a route among many, and of parsing and
# compiling many routes.
#
# Part 1 (in-process, apart from Spring's start): parse + compile programs of 1,000 and 10,000 routes, best of five,
# and the heap the compiled program holds per route.
# Part 2 (over HTTP, wrk, paired): one application per number of other routes beside GET /hello/:name (one jq
# step): 2, then each of COUNTS; the others are half /svc<i>/items/:id, half parameter-heavy /p<i>/:a/:b/:c, so the
# application with 2 has one route of each shape, /svc0/items/:id and /p1/:a/:b/:c. They are started side by side,
# each a JVM of its own on its own port. Each is warmed up for START_WARMUP on /hello/:name, then for WARMUP on every
# other path it is measured on. The rows: with each count of others /hello/:name, the first, a middle and the last
# /svc route and a parameter-heavy one. In each of ROUNDS rounds every row (A) is measured right next to its
# baseline (B), the route of the same shape in the application with 2 others (/hello/world, /svc0/items/7 or
# /p1/x/y/z), A B in odd rounds and B A in even ones, so that each ratio A / B compares the same work, among many
# routes and among three, measured within a few seconds. A first row compares the baseline /hello/world with
# itself: its spread is the noise of a pair. The table gives per row the median requests/s of both sides, their
# median CPU µs per request, the ratio of each round and the median and min-max of the ratios.
#
# The defaults take about 11 minutes: 3 x 60 s start warm-ups, 10 x 5 s path warm-ups, 3 rounds x 11 rows x 2 x 5 s,
# the starts and Part 1.
# DURATION is 5 s here (10 s elsewhere): pairing, not long rounds, is what removes the noise of separate JVMs.
#
# Usage: webpipe-benchmarks/routing.sh
# Environment (defaults in brackets): COUNTS [1000 10000], ROUNDS [3], DURATION per round and side [5s], WARMUP
# per path [5s], START_WARMUP per application after its start [60s: the JIT is still compiling the request path
# before that], THREADS [2], CONNECTIONS [32], APP_JAVA_OPTS per application [-Xms512m -Xmx512m], SKIP_BUILD=1 to
# use the jar as built.
DURATION="${DURATION:-5s}"
WARMUP="${WARMUP:-5s}"
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

# The applications, side by side: APP_PIDS[n] and APP_URLS[n] for n other routes; the one with SMALL others holds
# the baselines.
declare -A APP_PIDS APP_URLS
SMALL=2
APPS="$SMALL"
for n in $COUNTS; do
	if [ "$n" != "$SMALL" ]; then APPS="$APPS $n"; fi
done
for n in $APPS; do
	run_jar "app$n" routing-server "--routing.others=$n" "--routing.port-file=$WORK/app$n.port"
	APP_PIDS[$n]="$LAUNCHED_PID"
done
for n in $APPS; do
	APP_URLS[$n]="http://127.0.0.1:$(serving "app$n" "${APP_PIDS[$n]}")"
	echo "application with $n other routes: pid ${APP_PIDS[$n]}, ${APP_URLS[$n]}" >&2
done

# id (one word) | label | other routes | path | the baseline's path (in the application with SMALL others)
ROWS=("noise|GET /hello/:name (the baseline against itself)|$SMALL|/hello/world|/hello/world")
for n in $APPS; do
	[ "$n" = "$SMALL" ] && continue
	ROWS+=("hello$n|GET /hello/:name|$n|/hello/world|/hello/world"
		"first$n|first other route|$n|/svc0/items/7|/svc0/items/7"
		"middle$n|middle other route|$n|/svc$(( (n / 2) / 2 * 2 ))/items/7|/svc0/items/7"
		"last$n|last other route|$n|/svc$(( (n - 1) / 2 * 2 ))/items/7|/svc0/items/7"
		"heavy$n|parameter-heavy route|$n|/p$(( n - 1 ))/x/y/z|/p1/x/y/z")
done
BASELINES="/svc0/items/7 /p1/x/y/z"

# Every path answers 200 before anything is measured.
for row in "${ROWS[@]}"; do
	IFS='|' read -r id label n path base <<<"$row"
	curl -fsS -o /dev/null "${APP_URLS[$n]}$path" || { echo "$path with $n other routes does not answer 200" >&2; exit 1; }
	curl -fsS -o /dev/null "${APP_URLS[$SMALL]}$base" || { echo "$base with $SMALL other routes does not answer 200" >&2; exit 1; }
done

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for n in $APPS; do
	echo "  start warm-up, $n other routes: $(measure_wrk "${APP_PIDS[$n]}" "$THREADS" "$CONNECTIONS" "$START_WARMUP" \
		"${APP_URLS[$n]}/hello/world" "$WORK/wrk.out")" >&2
done
for path in $BASELINES; do
	echo "  warm-up $path, $SMALL other routes: $(measure_wrk "${APP_PIDS[$SMALL]}" "$THREADS" "$CONNECTIONS" "$WARMUP" \
		"${APP_URLS[$SMALL]}$path" "$WORK/wrk.out")" >&2
done
for row in "${ROWS[@]}"; do
	IFS='|' read -r id label n path base <<<"$row"
	[ "$path" = /hello/world ] && continue
	echo "  warm-up $path, $n other routes: $(measure_wrk "${APP_PIDS[$n]}" "$THREADS" "$CONNECTIONS" "$WARMUP" \
		"${APP_URLS[$n]}$path" "$WORK/wrk.out")" >&2
done

RESULTS="$WORK/results"
: >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
	for row in "${ROWS[@]}"; do
		IFS='|' read -r id label n path base <<<"$row"
		measure_pair "$id" "$round" "${APP_PIDS[$n]}" "${APP_URLS[$n]}$path" "${APP_PIDS[$SMALL]}" \
			"${APP_URLS[$SMALL]}$base" "$RESULTS"
	done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "## Routing, paired with the same route among three"
echo
describe_machine
echo "Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER."
echo "One JVM per number of other routes, side by side ($APP_JAVA_OPTS each), warmed up for $START_WARMUP on /hello/world and $WARMUP on each other path; wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency per side and round; $ROUNDS rounds, each row (A) next to the route of the same shape in the application with $SMALL other routes (B), A B / B A alternating."
echo
echo "| request | other routes | req/s | baseline req/s | p50 / p99 ms | app CPU µs/request / baseline | ratio per round | ratio to the same route among three (target ≥ 0.90) |"
echo "|---|---:|---:|---:|---|---:|---|---|"
for row in "${ROWS[@]}"; do
	IFS='|' read -r id label n path base <<<"$row"
	awk -v id="$id" -v label="$label" -v n="$n" -v path="$path" "$AWK_ROUNDS"'
		$1 == id { rps[$2, $3] = $4; p50[$2, $3] = $5; p99[$2, $3] = $6; errors += $7; cpu[$2, $3] = $8; if ($3 > rounds) rounds = $3 }
		END {
			for (r = 1; r <= rounds; r++) {
				ra[r] = rps["A", r]; rb[r] = rps["B", r]; ratio[r] = (rb[r] > 0) ? ra[r] / rb[r] : 0
				a50[r] = p50["A", r]; a99[r] = p99["A", r]; acpu[r] = cpu["A", r]; bcpu[r] = cpu["B", r]
				each = each sprintf("%s%.2f", (r > 1) ? ", " : "", ratio[r])
			}
			printf "| %s `%s` | %d | %.0f | %.0f | %.2f / %.2f | %.0f / %.0f | %s | %s |%s\n", label, path, n,
				median(ra, rounds), median(rb, rounds), median(a50, rounds), median(a99, rounds),
				median(acpu, rounds), median(bcpu, rounds), each, spread(ratio, rounds, "%.2f"),
				(errors > 0) ? " " errors " failed requests" : ""
		}' "$RESULTS"
done
