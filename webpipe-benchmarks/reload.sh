#!/usr/bin/env bash
# Hot reload (docs/reload.md): the time from a .wp file's write to its new route answering, with 100 and 1,000
# routes in the program (every reload reads, parses and compiles the whole program). Target: under 1 s for 100 routes.
#
# In-process: the application starts with webpipe.reload.enabled over a temporary folder; each round moves a file
# with one new route into it and polls the new route (every millisecond) until it answers 200.
#
# Usage: webpipe-benchmarks/reload.sh
# Environment (defaults in brackets): COUNTS [100 1000], ROUNDS [10], APP_JAVA_OPTS [-Xms512m -Xmx512m],
# SKIP_BUILD=1 to use the jar as built.
ROUNDS="${ROUNDS:-10}"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

COUNTS="${COUNTS:-100 1000}"

build_jar
init_work
LOG="$WORK/reload.log"
# shellcheck disable=SC2086
if ! java $APP_JAVA_OPTS -jar "$JAR" reload "$ROUNDS" $COUNTS >"$LOG" 2>&1; then
	cat "$LOG" >&2
	exit 1
fi
echo "## Hot reload ($ROUNDS rounds per program size; $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC'))"
echo
grep '^|' "$LOG"
