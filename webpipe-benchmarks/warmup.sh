#!/usr/bin/env bash
# Start and warm-up (docs/performance.md#warm-up): how long a fresh application JVM takes to serve, and then under
# load to reach 90 % of its steady requests/s, for a WebPipe route and its hand-written twin, each in a JVM of its own.
#
# Each side: start the benchmark application (the seconds until it serves are reported), drive the route with wrk in
# one-second slices for SECONDS_TOTAL seconds; steady = the median of the last ten slices; warm-up = the end of the
# first slice at or above 90 % of it.
#
# With CDS=1 both sides run with a class data sharing archive made for them first (docs/performance.md#jvm-options-for
# -start-and-warm-up): the jar is extracted (`java -Djarmode=tools -jar ... extract`, since the JVM archives classes
# from plain jars only), a training run of the application with -XX:ArchiveClassesAtExit serves both routes for
# TRAINING seconds and stops, and the measured runs add -XX:SharedArchiveFile.
#
# Usage: webpipe-benchmarks/warmup.sh
# Environment (defaults in brackets): ROUTE [five/42], SECONDS_TOTAL [45], CONNECTIONS [32], CDS [0],
# TRAINING [5], APP_JAVA_OPTS [-Xms512m -Xmx512m] (JVM options to compare, e.g. -XX:TieredStopAtLevel=1),
# SKIP_BUILD=1 to use the jar as built.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ROUTE="${ROUTE:-five/42}"
SECONDS_TOTAL="${SECONDS_TOTAL:-45}"
TRAINING="${TRAINING:-5}"

ensure_wrk
build_jar
init_work
start_upstream 20

if [ "${CDS:-0}" = 1 ]; then
	java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/extracted" >"$WORK/extract.log" 2>&1 \
		|| { cat "$WORK/extract.log" >&2; exit 1; }
	APP_JAR="$WORK/extracted/$(basename "$JAR")"
	MEASURED_OPTS="$APP_JAVA_OPTS"
	APP_JAVA_OPTS="$MEASURED_OPTS -XX:ArchiveClassesAtExit=$WORK/app.jsa"
	start_app
	for side in wp hw; do
		wrk -t2 -c"$CONNECTIONS" -d"${TRAINING}s" "$BASE/$side/$ROUTE" >/dev/null
	done
	# the archive is written as the JVM exits, which takes a while
	stop "$APP_PID" 180
	[ -s "$WORK/app.jsa" ] || { echo "no archive was written; the training run's log:" >&2; cat "$WORK/app.log" >&2; exit 1; }
	echo "class data sharing archive: $(du -h "$WORK/app.jsa" | cut -f1) from a ${TRAINING} s training run per side" >&2
	APP_JAVA_OPTS="$MEASURED_OPTS -XX:SharedArchiveFile=$WORK/app.jsa"
fi

echo "## Warm-up of /wp/$ROUTE and /hw/$ROUTE ($(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs; wrk -c$CONNECTIONS in 1 s slices for $SECONDS_TOTAL s from a fresh JVM: $APP_JAVA_OPTS${APP_JAR:+ -jar (extracted)})"
echo
echo "| side | seconds to serve | steady req/s (median of the last 10 s) | seconds to 90 % of steady | req/s in the first 5 s |"
echo "|---|---:|---:|---:|---|"
for side in wp hw; do
	started="$(date +%s.%N)"
	start_app
	serving_after="$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
	: >"$WORK/slices"
	for _ in $(seq 1 "$SECONDS_TOTAL"); do
		measure_wrk "$APP_PID" 2 "$CONNECTIONS" 1s "$BASE/$side/$ROUTE" "$WORK/wrk.out" | cut -d' ' -f1 >>"$WORK/slices"
	done
	awk -v side="$side" -v serving="$serving_after" '
		{ r[NR] = $1 }
		END {
			n = 0; for (i = NR - 9; i <= NR; i++) if (i >= 1) s[++n] = r[i]
			for (i = 2; i <= n; i++) { t = s[i]; for (j = i - 1; j >= 1 && s[j] > t; j--) s[j + 1] = s[j]; s[j + 1] = t }
			steady = (n % 2) ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
			at = "-"; for (i = 1; i <= NR; i++) if (r[i] >= 0.9 * steady) { at = i; break }
			printf "| %s | %s | %.0f | %s | %.0f, %.0f, %.0f, %.0f, %.0f |\n", (side == "wp") ? "WebPipe" : "hand-written",
				serving, steady, at, r[1], r[2], r[3], r[4], r[5]
		}' "$WORK/slices"
done
