#!/usr/bin/env bash
# The cache-hit and rateLimit routes with the Redis store against the same routes with the local store, in one
# run (docs/performance.md, docs/scaling.md).
#
# Starts a Redis (the redis-server 6.2 that embedded-redis ships, a process of its own), the stub upstream, and the
# benchmark application twice: once with the local store (B) and once with webpipe.store.type=redis (A). Drives the
# cache-hit route (/wp/cached/world) and the rateLimit route (/wp/limited/world) of both with wrk, alternating A
# and B over several rounds, and prints a markdown table: requests/s and p50/p99 of each side, the ratio
# Redis / local (median over the rounds, spread next to it), and the Redis round trips per request of side A,
# read from Redis's INFO commandstats (GET calls for the cache hit, EVALSHA + EVAL calls for rateLimit).
#
# Usage: webpipe-benchmarks/redis-store.sh
# Environment (defaults in brackets): ROUNDS [3], DURATION per round and side [10s], WARMUP per route and side [6s],
# THREADS [2], CONNECTIONS [32], APP_JAVA_OPTS [-Xms512m -Xmx512m], SKIP_BUILD=1 to use the jar as built.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# name | label | path | Redis command(s) that are one round trip each
ROUTES=(
	"cache|cache hit|/wp/cached/world|get"
	"ratelimit|rateLimit, allowed|/wp/limited/world|evalsha eval"
)

ensure_wrk
build_jar
init_work

launch redis java -Xms32m -Xmx64m -jar "$JAR" redis "$WORK/redis.port" 1800
REDIS_PID="$LAUNCHED_PID"
REDIS_PORT="$(serving redis "$REDIS_PID" 60)"
start_upstream 20

start_server local
LOCAL_PID="$LAUNCHED_PID"
start_server redis-app --webpipe.store.type=redis --spring.data.redis.host=127.0.0.1 "--spring.data.redis.port=$REDIS_PORT"
REDIS_APP_PID="$LAUNCHED_PID"
LOCAL_PORT="$(serving local "$LOCAL_PID")"
REDIS_APP_PORT="$(serving redis-app "$REDIS_APP_PID")"
echo "redis pid $REDIS_PID on port $REDIS_PORT; local-store application pid $LOCAL_PID on port $LOCAL_PORT;" \
	"redis-store application pid $REDIS_APP_PID on port $REDIS_APP_PORT" >&2

# The calls of the given Redis commands so far (INFO commandstats over a plain TCP connection).
redis_calls() {
	local reply
	exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT"
	# QUIT: Redis closes the connection after the reply, so the read ends
	printf 'INFO commandstats\r\nQUIT\r\n' >&3
	reply="$(timeout 5 cat <&3 || true)"
	exec 3<&- 3>&-
	printf '%s\n' "$reply" | tr -d '\r' | awk -v wanted=" $* " -F'[:=,]' '
		$1 ~ /^cmdstat_/ { name = substr($1, 9); if (index(wanted, " " name " ")) total += $3 }
		END { print total + 0 }'
}

# Both sides answer 200 with the same body, and the Redis side really uses Redis.
for route in "${ROUTES[@]}"; do
	IFS='|' read -r name label path commands <<<"$route"
	# a few tries: the first calls of a new application may find its Redis connection still opening
	for _ in 1 2 3 4 5; do
		before="$(redis_calls $commands)"
		a="$(curl -sS -w ' %{http_code}' "http://127.0.0.1:$REDIS_APP_PORT$path")"
		b="$(curl -sS -w ' %{http_code}' "http://127.0.0.1:$LOCAL_PORT$path")"
		after="$(redis_calls $commands)"
		[ "$after" -gt "$before" ] && break
		sleep 1
	done
	if [ "$a" != "$b" ] || [ "${a##* }" != 200 ] || [ "$after" -le "$before" ]; then
		echo "The two sides of '$name' differ, or the Redis side made no '$commands' call:" >&2
		echo "  redis: $a; local: $b; calls before/after: $before/$after" >&2
		exit 1
	fi
	echo "same answer on both sides for $path: ${a% *}" >&2
done

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS="$WORK/results"
: >"$RESULTS"
for route in "${ROUTES[@]}"; do
	IFS='|' read -r name label path commands <<<"$route"
	echo "  warm-up $name: $(measure_wrk "$REDIS_APP_PID" "$THREADS" "$CONNECTIONS" "$WARMUP" \
		"http://127.0.0.1:$REDIS_APP_PORT$path" "$WORK/wrk.out") / $(measure_wrk "$LOCAL_PID" "$THREADS" \
		"$CONNECTIONS" "$WARMUP" "http://127.0.0.1:$LOCAL_PORT$path" "$WORK/wrk.out")" >&2
done
for route in "${ROUTES[@]}"; do
	IFS='|' read -r name label path commands <<<"$route"
	for round in $(seq 1 "$ROUNDS"); do
		if [ $((round % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
		for side in $order; do
			if [ "$side" = A ]; then pid="$REDIS_APP_PID"; port="$REDIS_APP_PORT"; else pid="$LOCAL_PID"; port="$LOCAL_PORT"; fi
			before="$(redis_calls $commands)"
			line="$(measure_wrk "$pid" "$THREADS" "$CONNECTIONS" "$DURATION" "http://127.0.0.1:$port$path" "$WORK/wrk.out")"
			after="$(redis_calls $commands)"
			requests="$(awk '/requests in/ { print $1 }' "$WORK/wrk.out")"
			trips="$(awk -v c="$((after - before))" -v r="$requests" 'BEGIN { printf "%.2f", (r > 0) ? c / r : 0 }')"
			echo "$name $side $round $line $trips" >>"$RESULTS"
			echo "  $name round $round $side: $line $trips  (req/s p50 p99 errors CPU-us/req Redis-round-trips/req;" \
				"load $(cut -d' ' -f1 /proc/loadavg))" >&2
		done
	done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

echo
describe_machine
echo "Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER."
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency per side and round, $ROUNDS rounds alternating A B / B A, warm-up $WARMUP per side; application JVMs: $APP_JAVA_OPTS; Redis 6.2 on the same machine."
echo
echo "| route | Redis store req/s | local store req/s | req/s ratio Redis / local | Redis p50 / p99 ms | local p50 / p99 ms | app CPU µs/request Redis / local | Redis round trips per request |"
echo "|---|---|---|---|---|---|---|---|"
for route in "${ROUTES[@]}"; do
	IFS='|' read -r name label path commands <<<"$route"
	awk -v name="$name" -v label="$label" "$AWK_ROUNDS"'
		$1 == name { rps[$2, $3] = $4; p50[$2, $3] = $5; p99[$2, $3] = $6; errors += $7; cpu[$2, $3] = $8; trips[$2, $3] = $9; if ($3 > rounds) rounds = $3 }
		END {
			for (r = 1; r <= rounds; r++) {
				ra[r] = rps["A", r]; rb[r] = rps["B", r]; ratio[r] = rps["A", r] / rps["B", r]
				a50[r] = p50["A", r]; b50[r] = p50["B", r]; a99[r] = p99["A", r]; b99[r] = p99["B", r]
				acpu[r] = cpu["A", r]; bcpu[r] = cpu["B", r]; atrips[r] = trips["A", r]
			}
			printf "| %s | %s | %s | %s | %.2f / %.2f | %.2f / %.2f | %.0f / %.0f | %.2f |%s\n", label,
				spread(ra, rounds, "%.0f"), spread(rb, rounds, "%.0f"), spread(ratio, rounds, "%.2f"),
				median(a50, rounds), median(a99, rounds), median(b50, rounds), median(b99, rounds),
				median(acpu, rounds), median(bcpu, rounds), median(atrips, rounds),
				(errors > 0) ? " " errors " failed requests" : ""
		}' "$RESULTS"
done
