# Shell functions shared by the benchmark scripts of this folder (sourced, not run).

# Installs Debian's wrk when it is missing.
ensure_wrk() {
	if ! command -v wrk >/dev/null 2>&1; then
		local sudo=""
		if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
		echo "Installing wrk ..." >&2
		$sudo apt-get install -y wrk >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; }
	fi
}

# Stops a process: TERM, then KILL after 20 s.
stop() {
	local pid="$1"
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
		kill -KILL "$pid" 2>/dev/null || true
	fi
}

# Waits (bounded) for a port file written by a process that must stay alive meanwhile.
wait_for_port() {
	local file="$1" pid="$2" seconds="$3" log="$4"
	for _ in $(seq 1 $((seconds * 2))); do
		if [ -s "$file" ]; then cat "$file"; return 0; fi
		if ! kill -0 "$pid" 2>/dev/null; then echo "process $pid exited; its log:" >&2; cat "$log" >&2; return 1; fi
		sleep 0.5
	done
	echo "no port after ${seconds}s; log:" >&2
	cat "$log" >&2
	return 1
}

# One wrk run: measure_wrk PID THREADS CONNECTIONS DURATION URL OUT-FILE prints
# "requests/s p50-ms p99-ms errors CPU-us-per-request", the CPU time being that of process PID (read from /proc,
# so other processes of a noisy machine do not count in it).
measure_wrk() {
	local pid="$1" threads="$2" connections="$3" duration="$4" url="$5" out="$6" before after
	before="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
	wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url" >"$out"
	after="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
	awk -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" '
		function ms(v) {
			if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
			if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
			if (v ~ /m$/) { sub(/m$/, "", v); return v * 60000 }
			if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000 }
			return v + 0
		}
		$1 == "50%" { p50 = ms($2) }
		$1 == "99%" { p99 = ms($2) }
		/^Requests\/sec:/ { rps = $2 }
		/Non-2xx or 3xx responses:/ { errors += $NF }
		/Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { v = $i; sub(/,/, "", v); errors += v } }
		/requests in/ { requests = $1 }
		END { printf "%.1f %.3f %.3f %d %.1f\n", rps, p50, p99, errors, (requests > 0) ? ticks * 1000000 / hz / requests : 0 }
	' "$out"
}

