/**
 * An embedded PostgreSQL for the demo and the benchmarks (docs/architecture.md#comments-and-tests).
 */
@NullMarked
package dev.webpipe.embedded;

import org.jspecify.annotations.NullMarked;
