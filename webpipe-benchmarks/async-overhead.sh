#!/usr/bin/env bash
# Measures the overhead of @async and join (concurrency.md): N tasks of a 50 ms middleware and a
# join, for N = 1, 3, 10, 100; prints a markdown table. Usage: webpipe-benchmarks/async-overhead.sh [requests]
# Environment (defaults in brackets): APP_JAVA_OPTS [-Xms512m -Xmx512m], SKIP_BUILD=1 to use the jar as built.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
build_jar
# shellcheck disable=SC2086
java $APP_JAVA_OPTS -jar "$JAR" async-overhead "${1:-200}"
