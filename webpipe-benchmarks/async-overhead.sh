#!/usr/bin/env bash
# Measures the overhead of @async and join (concurrency.md): N tasks of a 50 ms middleware and a
# join, for N = 1, 3, 10, 100; prints a markdown table. Usage: webpipe-benchmarks/async-overhead.sh [requests]
# Environment: SKIP_BUILD=1 to use the jar as built.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
build_jar
java -Xms512m -Xmx512m -jar "$JAR" async-overhead "${1:-200}"
