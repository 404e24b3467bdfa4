# Shell functions shared by the benchmark scripts of this folder (sourced, not run). Sourcing it sets the shell's
# strict mode and moves to the project's root, where the scripts run.
#
# A script's preamble is:
#   . "$(dirname "$0")/lib.sh"
#   ensure_tool wrk wrk; build_jar; init_work
#   start_upstream 20; start_app          # or start_server NAME ... and serving NAME PID, for several
# and every process started with launch (which start_upstream, start_server and start_app use) is stopped, and
# $WORK removed, when the script exits.
#
# The environment's defaults below are every script's; a script whose default differs sets it, in the same
# NAME="${NAME:-value}" form, before sourcing this file (and says so in its usage comment).

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

JAR=webpipe-benchmarks/target/webpipe-benchmarks.jar
APP_JAVA_OPTS="${APP_JAVA_OPTS:--Xms512m -Xmx512m}"
UPSTREAM_JAVA_OPTS="${UPSTREAM_JAVA_OPTS:--Xms64m -Xmx128m}"
# The load of the wrk scripts: A/B rounds, the time per round and side, the warm-up per route and side, wrk's
# threads and connections.
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-6s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"

# Installs a Debian package when its command is missing: ensure_tool COMMAND PACKAGE.
ensure_tool() {
	local command="$1" package="$2"
	if ! command -v "$command" >/dev/null 2>&1; then
		local sudo=""
		if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
		echo "Installing $package ..." >&2
		$sudo apt-get install -y "$package" >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y "$package" >/dev/null; }
	fi
}

# Installs Debian's wrk when it is missing.
ensure_wrk() {
	ensure_tool wrk wrk
}

# Builds the benchmark jar with the reactor (never `mvn install`), unless SKIP_BUILD=1.
build_jar() {
	if [ "${SKIP_BUILD:-0}" != 1 ]; then
		mvn -B -q -pl webpipe-benchmarks -am package -DskipTests
	fi
}

# Stops a process: stop PID [SECONDS]: TERM, then KILL after SECONDS (20).
stop() {
	local pid="$1" seconds="${2:-20}"
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 $((seconds * 2))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
		kill -KILL "$pid" 2>/dev/null || true
	fi
}

# Makes the folder $WORK for the run's files, and stops every launched process (the last launched first) and removes
# $WORK when the script exits, is interrupted or is terminated.
LAUNCHED=()
init_work() {
	WORK="$(mktemp -d)"
	trap cleanup_work EXIT
	trap 'exit 130' INT TERM
}
cleanup_work() {
	local i
	for ((i = ${#LAUNCHED[@]} - 1; i >= 0; i--)); do stop "${LAUNCHED[$i]}"; done
	rm -rf "$WORK"
}

# launch NAME COMMAND...: runs COMMAND in the background, its output in $WORK/NAME.log, after removing its port file
# $WORK/NAME.port; sets LAUNCHED_PID. The process is stopped when the script exits.
launch() {
	local name="$1"
	shift
	rm -f "$WORK/$name.port"
	"$@" >"$WORK/$name.log" 2>&1 &
	LAUNCHED_PID=$!
	LAUNCHED+=("$LAUNCHED_PID")
}

# Waits (bounded) for a port file written by a process that must stay alive meanwhile.
wait_for_port() {
	local file="$1" pid="$2" seconds="$3" log="$4"
	for _ in $(seq 1 $((seconds * 10))); do
		if [ -s "$file" ]; then cat "$file"; return 0; fi
		if ! kill -0 "$pid" 2>/dev/null; then echo "process $pid exited; its log:" >&2; cat "$log" >&2; return 1; fi
		sleep 0.1
	done
	echo "no port after ${seconds}s; log:" >&2
	cat "$log" >&2
	return 1
}

# serving NAME PID [SECONDS]: prints the port of a launched process once it has written $WORK/NAME.port (180 s at most).
serving() {
	wait_for_port "$WORK/$1.port" "$2" "${3:-180}" "$WORK/$1.log"
}

# start_upstream DELAY-MS: the stub upstream (Upstream.java) with UPSTREAM_JAVA_OPTS, /delay/{n} answering after
# DELAY-MS; sets UPSTREAM_PID, UPSTREAM_PORT and UPSTREAM (its base URL).
start_upstream() {
	# shellcheck disable=SC2086
	launch upstream java $UPSTREAM_JAVA_OPTS -jar "$JAR" upstream "$WORK/upstream.port" "$1" 1800
	UPSTREAM_PID="$LAUNCHED_PID"
	UPSTREAM_PORT="$(serving upstream "$UPSTREAM_PID" 60)"
	UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT"
}

# run_jar NAME MODE [ARGUMENTS...]: `java $APP_JAVA_OPTS -jar $APP_JAR MODE ARGUMENTS...` (APP_JAR: the benchmark jar
# unless set) launched as NAME; sets LAUNCHED_PID and returns at once.
run_jar() {
	local name="$1"
	shift
	# shellcheck disable=SC2086
	launch "$name" java $APP_JAVA_OPTS -jar "${APP_JAR:-$JAR}" "$@"
}

# start_server NAME [ARGUMENTS...]: the benchmark application (HttpBenchmark.java) against $UPSTREAM, its port in
# $WORK/NAME.port; sets LAUNCHED_PID and returns at once (`serving NAME PID` waits for it).
start_server() {
	local name="$1"
	shift
	run_jar "$name" server "--bench.upstream=$UPSTREAM" "--bench.port-file=$WORK/$name.port" "$@"
}

# app_serving: after the launch of NAME app, sets APP_PID, APP_PORT and BASE (its base URL) once it serves.
app_serving() {
	APP_PID="$LAUNCHED_PID"
	APP_PORT="$(serving app "$APP_PID")"
	BASE="http://127.0.0.1:$APP_PORT"
}

# start_app [ARGUMENTS...]: start_server app, after stopping the application started before, if any; returns once
# it serves, with APP_PID, APP_PORT and BASE set.
start_app() {
	stop "${APP_PID:-}"
	start_server app "$@"
	app_serving
}

# One line that says when and on what a table was measured.
describe_machine() {
	echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -h | awk '/^Mem:/ {print $2}') RAM; $(java -version 2>&1 | head -1)."
}

# One round of an A/B pair: measure_pair NAME ROUND A-PID A-URL B-PID B-URL RESULTS drives A then B in odd rounds
# and B then A in even ones (so that neither side is always the one measured second), each with
# `measure_wrk ... $DURATION`, and appends a line "NAME SIDE ROUND requests/s p50-ms p99-ms errors CPU-us-per-request"
# per side to the file RESULTS (NAME: one word), and a progress line per side to stderr.
measure_pair() {
	local name="$1" round="$2" results="$7" order side pid url line
	if [ $((round % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
	for side in $order; do
		if [ "$side" = A ]; then pid="$3"; url="$4"; else pid="$5"; url="$6"; fi
		line="$(measure_wrk "$pid" "$THREADS" "$CONNECTIONS" "$DURATION" "$url" "$WORK/wrk.out")"
		echo "$name $side $round $line" >>"$results"
		echo "  $name round $round $side ($url): $line  (req/s p50 p99 errors CPU-us/req; load $(cut -d' ' -f1 /proc/loadavg))" >&2
	done
}

# awk functions for the tables of A/B rounds, put before an awk program (awk "$AWK_ROUNDS"'...'): sort(a, n),
# median(a, n) and spread(a, n, fmt), which gives "median (min–max)" of a[1..n].
# shellcheck disable=SC2016
AWK_ROUNDS='
	function sort(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } }
	function median(a, n) { sort(a, n); return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
	function spread(a, n, fmt) { sort(a, n); return sprintf(fmt " (" fmt "–" fmt ")", median(a, n), a[1], a[n]) }
'

# awk functions for wrk's output, put before an awk program (awk "$AWK_WRK"'...'): ms(v), a latency such as
# 812.50us, 1.02ms, 2.15s or 1.50m in milliseconds, and socket_errors(), the sum of the counts on wrk's
# "Socket errors: connect N, read N, write N, timeout N" line (the current record).
# shellcheck disable=SC2016
AWK_WRK='
	function ms(v) {
		if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
		if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
		if (v ~ /m$/) { sub(/m$/, "", v); return v * 60000 }
		if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000 }
		return v + 0
	}
	function socket_errors(   i, v, sum) {
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { v = $i; sub(/,/, "", v); sum += v }
		return sum
	}
'

# One wrk run: measure_wrk PID THREADS CONNECTIONS DURATION URL OUT-FILE prints
# "requests/s p50-ms p99-ms errors CPU-us-per-request", the CPU time being that of process PID (read from /proc,
# so other processes of a noisy machine do not count in it).
measure_wrk() {
	local pid="$1" threads="$2" connections="$3" duration="$4" url="$5" out="$6" before after
	before="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
	wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url" >"$out"
	after="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
	awk -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" "$AWK_WRK"'
		$1 == "50%" { p50 = ms($2) }
		$1 == "99%" { p99 = ms($2) }
		/^Requests\/sec:/ { rps = $2 }
		/Non-2xx or 3xx responses:/ { errors += $NF }
		/Socket errors:/ { errors += socket_errors() }
		/requests in/ { requests = $1 }
		END { printf "%.1f %.3f %.3f %d %.1f\n", rps, p50, p99, errors, (requests > 0) ? ticks * 1000000 / hz / requests : 0 }
	' "$out"
}
