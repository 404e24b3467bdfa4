#!/usr/bin/env bash
# Warm-up (docs/performance.md#warm-up): how long a fresh application JVM takes under load to reach 90 % of its
# steady requests/s, for a WebPipe route and its hand-written twin, each in a JVM of its own.
#
# Each side: start the benchmark application, drive the route with wrk in one-second slices for SECONDS seconds;
# steady = the median of the last ten slices; warm-up = the end of the first slice at or above 90 % of it.
#
# Usage: webpipe-benchmarks/warmup.sh
# Environment (defaults in brackets): ROUTE [five/42], SECONDS_TOTAL [45], CONNECTIONS [32],
# APP_JAVA_OPTS [-Xms512m -Xmx512m] (try -XX:SharedArchiveFile=... or -XX:TieredStopAtLevel settings here),
# SKIP_BUILD=1 to use the jar as built.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib.sh
. webpipe-benchmarks/lib.sh

ROUTE="${ROUTE:-five/42}"
SECONDS_TOTAL="${SECONDS_TOTAL:-45}"
CONNECTIONS="${CONNECTIONS:-32}"
APP_JAVA_OPTS="${APP_JAVA_OPTS:--Xms512m -Xmx512m}"
JAR=webpipe-benchmarks/target/webpipe-benchmarks.jar

ensure_wrk
if [ "${SKIP_BUILD:-0}" != 1 ]; then
	mvn -B -q -pl webpipe-benchmarks -am package -DskipTests
fi

WORK="$(mktemp -d)"
UPSTREAM_PID=""
APP_PID=""
cleanup() {
	stop "$APP_PID"
	stop "$UPSTREAM_PID"
	rm -rf "$WORK"
}
trap cleanup EXIT

java -Xms64m -Xmx128m -jar "$JAR" upstream "$WORK/upstream.port" 20 1800 >"$WORK/upstream.log" 2>&1 &
UPSTREAM_PID=$!
UPSTREAM_PORT="$(wait_for_port "$WORK/upstream.port" "$UPSTREAM_PID" 60 "$WORK/upstream.log")"

echo "## Warm-up of /wp/$ROUTE and /hw/$ROUTE ($(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs; wrk -c$CONNECTIONS in 1 s slices for $SECONDS_TOTAL s from a fresh JVM: $APP_JAVA_OPTS)"
echo
echo "| side | steady req/s (median of the last 10 s) | seconds to 90 % of steady | req/s in the first 5 s |"
echo "|---|---:|---:|---|"
for side in wp hw; do
	stop "$APP_PID"
	rm -f "$WORK/app.port"
	# shellcheck disable=SC2086
	java $APP_JAVA_OPTS -jar "$JAR" server "--bench.upstream=http://127.0.0.1:$UPSTREAM_PORT" \
		"--bench.port-file=$WORK/app.port" >"$WORK/app.log" 2>&1 &
	APP_PID=$!
	BASE="http://127.0.0.1:$(wait_for_port "$WORK/app.port" "$APP_PID" 180 "$WORK/app.log")"
	: >"$WORK/slices"
	for _ in $(seq 1 "$SECONDS_TOTAL"); do
		measure_wrk "$APP_PID" 2 "$CONNECTIONS" 1s "$BASE/$side/$ROUTE" "$WORK/wrk.out" | cut -d' ' -f1 >>"$WORK/slices"
	done
	awk -v side="$side" '
		{ r[NR] = $1 }
		END {
			n = 0; for (i = NR - 9; i <= NR; i++) s[++n] = r[i]
			for (i = 2; i <= n; i++) { t = s[i]; for (j = i - 1; j >= 1 && s[j] > t; j--) s[j + 1] = s[j]; s[j + 1] = t }
			steady = (s[5] + s[6]) / 2
			at = "-"; for (i = 1; i <= NR; i++) if (r[i] >= 0.9 * steady) { at = i; break }
			printf "| %s | %.0f | %s | %.0f, %.0f, %.0f, %.0f, %.0f |\n", (side == "wp") ? "WebPipe" : "hand-written", steady, at, r[1], r[2], r[3], r[4], r[5]
		}' "$WORK/slices"
done
