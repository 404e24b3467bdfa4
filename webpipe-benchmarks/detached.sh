#!/usr/bin/env bash
# Fire-and-forget against joined work (docs/performance.md#fire-and-forget-tasks): a flood of requests that each
# leave a slow never-joined @async call behind must not slow down another request's joined call.
#
# Starts the stub upstream and the benchmark application, measures the bystander alone (GET /wp/bystander: one
# joined @async fetch that the upstream answers after 10 ms; SAMPLES requests one after the other on one
# connection), then fires FIRED fire-and-forget requests (GET /hostile/detached, PARALLEL at a time; each answers
# at once and leaves a never-joined fetch that the upstream answers after 9 s) and, while those are in flight,
# measures the bystander again. Prints the detached tasks in flight, the ones cancelled by
# webpipe.async.max-detached, and the bystander's p50/p99/max (target: under 100 ms).
#
# Usage: webpipe-benchmarks/detached.sh
# Environment (defaults in brackets): FIRED [1000], PARALLEL [100], SAMPLES [300], MAX_DETACHED [the application's
# default, 256; a large value shows what the limit prevents], APP_JAVA_OPTS [-Xms512m -Xmx512m], SKIP_BUILD=1 to use
# the jar as built.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

FIRED="${FIRED:-1000}"
PARALLEL="${PARALLEL:-100}"
SAMPLES="${SAMPLES:-300}"

ensure_tool curl curl
build_jar
init_work
start_upstream 20
start_app ${MAX_DETACHED:+"--webpipe.async.max-detached=$MAX_DETACHED"}
echo "upstream pid $UPSTREAM_PID on port $UPSTREAM_PORT; application pid $APP_PID on port $APP_PORT" >&2

# curl_config FILE COUNT PATH: a curl config file of COUNT requests to PATH, their bodies discarded.
curl_config() {
	local i
	: >"$1"
	for ((i = 0; i < $2; i++)); do printf 'url = "%s%s"\noutput = "/dev/null"\n' "$BASE" "$3" >>"$1"; done
}
curl_config "$WORK/bystander.curl" "$SAMPLES" /wp/bystander
curl_config "$WORK/fire.curl" "$FIRED" /hostile/detached

# bystander OUT-FILE: the bystander's requests one after the other, a line "status seconds" each.
bystander() {
	curl -sS -m 30 -K "$WORK/bystander.curl" -w '%{http_code} %{time_total}\n' >"$1" 2>>"$WORK/curl.err" || true
}

# latencies FILE: "p50 p99 max failed" in ms over the lines of a bystander run.
latencies() {
	local failed
	failed="$(awk '$1 != 200' "$1" | wc -l)"
	awk '{ print $2 * 1000 }' "$1" | sort -n | awk -v failed="$failed" '
		{ v[NR] = $1 }
		END { printf "%.1f %.1f %.1f %d\n", v[int((NR - 1) * 0.50) + 1], v[int((NR - 1) * 0.99) + 1], v[NR], failed }'
}

# detached: "running refused max-detached" from the application.
detached() {
	curl -fsS "$BASE/bench/detached" | sed -E 's/.*"running":([0-9]+).*"refused":([0-9]+).*"maxDetached":([0-9]+).*/\1 \2 \3/'
}

# warm-up: the bystander's code paths compiled before either measurement
bystander "$WORK/warmup"
bystander "$WORK/alone"
read -r ALONE_P50 ALONE_P99 ALONE_MAX ALONE_FAILED <<<"$(latencies "$WORK/alone")"

read -r _ REFUSED_BEFORE MAX <<<"$(detached)"
START="$(date +%s.%N)"
curl -S --no-progress-meter -m 30 --parallel --parallel-max "$PARALLEL" -K "$WORK/fire.curl" -w '%{http_code}\n' >"$WORK/fired" \
	2>>"$WORK/curl.err" || true
FIRED_AT="$(date +%s.%N)"
read -r RUNNING_AFTER_FIRING REFUSED_AFTER_FIRING _ <<<"$(detached)"
bystander "$WORK/beside"
MEASURED_AT="$(date +%s.%N)"
read -r RUNNING_AFTER_BYSTANDER REFUSED_AFTER _ <<<"$(detached)"
read -r P50 P99 MAXIMUM FAILED <<<"$(latencies "$WORK/beside")"
ANSWERED="$(grep -c '^200$' "$WORK/fired" || true)"

echo
echo "## Fire-and-forget against a joined call"
echo
describe_machine
echo "$FIRED requests to /hostile/detached ($PARALLEL at a time), each leaving a never-joined fetch answered after 9 s;" \
	"bystander: $SAMPLES sequential requests to /wp/bystander (one joined fetch answered after 10 ms);" \
	"application JVM: $APP_JAVA_OPTS."
echo
awk -v fired="$FIRED" -v answered="$ANSWERED" -v start="$START" -v firedat="$FIRED_AT" -v measuredat="$MEASURED_AT" \
	-v running1="$RUNNING_AFTER_FIRING" -v running2="$RUNNING_AFTER_BYSTANDER" -v max="$MAX" \
	-v refused="$((REFUSED_AFTER - REFUSED_BEFORE))" -v refused1="$((REFUSED_AFTER_FIRING - REFUSED_BEFORE))" \
	-v a50="$ALONE_P50" -v a99="$ALONE_P99" -v amax="$ALONE_MAX" -v afailed="$ALONE_FAILED" \
	-v b50="$P50" -v b99="$P99" -v bmax="$MAXIMUM" -v bfailed="$FAILED" -v target=100 'BEGIN {
	print "| measure | value |"
	print "|---|---:|"
	printf "| fire-and-forget requests answered 200 | %d of %d in %.1f s |\n", answered, fired, firedat - start
	printf "| detached tasks in flight after firing / after the bystander | %d / %d |\n", running1, running2
	printf "| cancelled by webpipe.async.max-detached (%d) | %d (%d by the end of firing) |\n", max, refused, refused1
	printf "| bystander alone: p50 / p99 / max ms | %.1f / %.1f / %.1f%s |\n", a50, a99, amax,
		(afailed > 0) ? " (" afailed " failed)" : ""
	printf "| bystander with the detached tasks in flight: p50 / p99 / max ms | %.1f / %.1f / %.1f%s |\n", b50, b99,
		bmax, (bfailed > 0) ? " (" bfailed " failed)" : ""
	printf "| target: bystander p99 under %d ms | %s |\n", target, (b99 < target && bfailed == 0) ? "met" : "NOT met"
	printf "| seconds from the first fire-and-forget request to the bystander'"'"'s last | %.1f%s |\n", measuredat - start,
		(measuredat - start > 9) ? " (past 9 s: some detached calls had ended; lower SAMPLES)" : ""
}'
if [ -s "$WORK/curl.err" ]; then
	echo
	echo "curl reported: $(sort "$WORK/curl.err" | uniq -c | head -5 | tr -s ' \n' ' ')"
fi
