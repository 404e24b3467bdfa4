/**
 * The routing benchmark of docs/performance.md: many routes, one lookup.
 */
@NullMarked
package dev.webpipe.benchmarks.routing;

import org.jspecify.annotations.NullMarked;
