/**
 * The benchmarks of docs/performance.md: WebPipe routes next to hand-written WebFlux handlers.
 */
@NullMarked
package dev.webpipe.benchmarks;

import org.jspecify.annotations.NullMarked;
