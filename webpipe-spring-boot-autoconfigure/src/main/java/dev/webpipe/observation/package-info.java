/**
 * Micrometer observations of steps and {@code @async} tasks ({@code webpipe.step}, {@code webpipe.task}), a client
 * of the instrumentation SPI (docs/operations.md#metrics-and-traces).
 */
@NullMarked
package dev.webpipe.observation;

import org.jspecify.annotations.NullMarked;
