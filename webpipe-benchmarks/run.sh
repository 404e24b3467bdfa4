#!/usr/bin/env bash
# WebPipe routes against their hand-written WebFlux twins, over HTTP, in one run (docs/performance.md).
#
# Starts the stub upstream (its own process) and the benchmark application (the .wp routes under /wp/ and their
# hand-written twins under /hw/, one JVM, an embedded PostgreSQL), checks that each pair answers the same JSON,
# then drives each pair with wrk from this shell, alternating WebPipe (A) and hand-written (B) over several
# rounds (A B, then B A, ...), and prints a markdown table: requests/s, p50, p99 and the ratios WebPipe /
# hand-written, each as the median over the rounds with the spread (min-max) next to it, and the CPU time the
# application used per request (read from /proc, so other processes of a noisy machine do not count in it).
#
# With COMPARE=instrumentation it compares two starts of the same application instead: A without any
# instrumentation bean, B with an instrumentation bean that overrides nothing (--bench.instrumentation=noop), both
# serving the five-step route; the two JVMs run side by side and are driven one at a time, alternating as above.
# COMPARE=observations compares the same way two starts that both have an ObservationRegistry with a meter handler:
# A with the webpipe.step and webpipe.task observations on (--bench.observations=on), B with them turned off as
# management.observations.enable.webpipe=false does (--bench.observations=off); the req/s ratio is then on / off.
#
# Usage: webpipe-benchmarks/run.sh
# Environment (defaults in brackets): ROUNDS [3], DURATION per round and side [10s], WARMUP per route and side
# [6s], THREADS [2], CONNECTIONS [32], ONLY (route names to run, e.g. "hello fanout") [all],
# APP_JAVA_OPTS [-Xms512m -Xmx512m], SKIP_BUILD=1 to use the jar as built, COMPARE [routes], instrumentation or
# observations.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# name | label | WebPipe path (A) | hand-written path, or the route A is compared with (B) | requests/s target
ROUTES=(
	"hello|jq only|/wp/hello/world|/hw/hello/world|0.90"
	"fanout|fan-out: 3 @async fetch (20 ms) + join + jq|/wp/fanout|/hw/fanout|0.90"
	"pg|pg SELECT by primary key|/wp/users/42|/hw/users/42|0.85"
	"five|5 steps: jq, pg, jq, fetch, jq|/wp/five/42|/hw/five/42|0.90"
	# these two are measured against the jq-only WebPipe route instead of a hand-written twin
	"cache|cache hit (B: the jq-only route)|/wp/cached/world|/wp/hello/world|0.95"
	"ratelimit|rateLimit, allowed (B: the jq-only route)|/wp/limited/world|/wp/hello/world|0.90"
)
P99_TARGET=1.2
COMPARE="${COMPARE:-routes}"
# The extra arguments of the A and B applications when two are compared; none when B is a path of the one application.
A_ARGS=""
B_ARGS=""
case "$COMPARE" in
	routes) ;;
	instrumentation)
		ROUTES=("instrumentation|5 steps: no instrumentation bean (A) / the no-op default (B)|/wp/five/42|/wp/five/42|0.98")
		B_ARGS="--bench.instrumentation=noop"
		;;
	observations)
		# A is the one observed, so that the table's ratio A / B is the ratio on / off that the target is for
		ROUTES=("observations|5 steps: observations on (A) / off (B)|/wp/five/42|/wp/five/42|0.95")
		A_ARGS="--bench.observations=on"
		B_ARGS="--bench.observations=off"
		;;
	*) echo "COMPARE is routes, instrumentation or observations, not '$COMPARE'" >&2; exit 2 ;;
esac

ensure_wrk
build_jar
init_work
start_upstream 20
# shellcheck disable=SC2086
start_app $A_ARGS
echo "upstream pid $UPSTREAM_PID on port $UPSTREAM_PORT; application pid $APP_PID on port $APP_PORT" >&2
# B: a path of the same application, or (COMPARE=instrumentation, observations) a second start of it
BASE_B="$BASE"
B_PID="$APP_PID"
if [ -n "$B_ARGS" ]; then
	# shellcheck disable=SC2086
	start_server app-b $B_ARGS
	B_PID="$LAUNCHED_PID"
	B_PORT="$(serving app-b "$B_PID")"
	BASE_B="http://127.0.0.1:$B_PORT"
	echo "application B ($B_ARGS) pid $B_PID on port $B_PORT" >&2
fi

selected() {
	[ -z "${ONLY:-}" ] && return 0
	case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

# Both sides of each pair must answer 200 with the same body.
for route in "${ROUTES[@]}"; do
	IFS='|' read -r name label wp hw target <<<"$route"
	selected "$name" || continue
	a="$(curl -sS -w ' %{http_code}' "$BASE$wp")"
	b="$(curl -sS -w ' %{http_code}' "$BASE_B$hw")"
	if [ "$a" != "$b" ] || [ "${a##* }" != 200 ]; then
		echo "The two sides of '$name' differ:" >&2
		echo "  $wp -> $a" >&2
		echo "  $hw -> $b" >&2
		exit 1
	fi
	echo "same answer for $wp and $hw: ${a% *}" >&2
done

# One wrk run against an application (pid $3, the A application by default): prints
# "requests/s p50-ms p99-ms errors app-CPU-us-per-request".
measure() {
	measure_wrk "${3:-$APP_PID}" "$THREADS" "$CONNECTIONS" "$1" "$2" "$WORK/wrk.out"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS="$WORK/results"
: >"$RESULTS"
# Warm-up: every route and side once before any measurement, so that the JIT has compiled the code the routes
# share before the first round of the first route.
for route in "${ROUTES[@]}"; do
	IFS='|' read -r name label wp hw target <<<"$route"
	selected "$name" || continue
	echo "  warm-up $name: $(measure "$WARMUP" "$BASE$wp") / $(measure "$WARMUP" "$BASE_B$hw" "$B_PID")" >&2
done
for route in "${ROUTES[@]}"; do
	IFS='|' read -r name label wp hw target <<<"$route"
	selected "$name" || continue
	for round in $(seq 1 "$ROUNDS"); do
		measure_pair "$name" "$round" "$APP_PID" "$BASE$wp" "$B_PID" "$BASE_B$hw" "$RESULTS"
	done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

echo
describe_machine
echo "Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER."
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency per side and round, $ROUNDS rounds alternating A B / B A, warm-up $WARMUP per side; application JVM: $APP_JAVA_OPTS."
echo
echo "| route | WebPipe req/s | hand-written req/s | req/s ratio | WebPipe p50 / p99 ms | hand-written p50 / p99 ms | p99 ratio | app CPU µs/request WebPipe / hand-written | targets (req/s ratio, p99 ratio) |"
echo "|---|---|---|---|---|---|---|---|---|"
for route in "${ROUTES[@]}"; do
	IFS='|' read -r name label wp hw target <<<"$route"
	selected "$name" || continue
	awk -v name="$name" -v label="$label" -v target="$target" -v p99target="$P99_TARGET" "$AWK_ROUNDS"'
		$1 == name { rps[$2, $3] = $4; p50[$2, $3] = $5; p99[$2, $3] = $6; errors += $7; cpu[$2, $3] = $8; if ($3 > rounds) rounds = $3 }
		END {
			for (r = 1; r <= rounds; r++) {
				ra[r] = rps["A", r]; rb[r] = rps["B", r]
				ratio[r] = rps["A", r] / rps["B", r]; p99ratio[r] = p99["A", r] / p99["B", r]
				a50[r] = p50["A", r]; b50[r] = p50["B", r]; a99[r] = p99["A", r]; b99[r] = p99["B", r]
				acpu[r] = cpu["A", r]; bcpu[r] = cpu["B", r]
			}
			mr = median(ratio, rounds); mp = median(p99ratio, rounds)
			verdict = sprintf("≥ %s: %s; ≤ %s: %s", target, (mr >= target) ? "met" : "NOT met", p99target,
				(mp <= p99target) ? "met" : "NOT met")
			printf "| %s | %s | %s | %s | %.2f / %.2f | %.2f / %.2f | %s | %.0f / %.0f | %s |%s\n", label,
				spread(ra, rounds, "%.0f"), spread(rb, rounds, "%.0f"), spread(ratio, rounds, "%.2f"),
				median(a50, rounds), median(a99, rounds), median(b50, rounds), median(b99, rounds),
				spread(p99ratio, rounds, "%.2f"), median(acpu, rounds), median(bcpu, rounds), verdict,
				(errors > 0) ? " " errors " failed requests" : ""
		}' "$RESULTS"
done
