#!/usr/bin/env bash
# Measures the overhead of @async and join (concurrency.md): N tasks of a 50 ms middleware and a
# join, for N = 1, 3, 10, 100; prints a markdown table. Usage: webpipe-benchmarks/async-overhead.sh [requests]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl webpipe-benchmarks -am package -DskipTests
java -Xms512m -Xmx512m -jar webpipe-benchmarks/target/webpipe-benchmarks.jar async-overhead "${1:-200}"
