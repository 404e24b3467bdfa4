/**
 * The instrumentation SPI: what an application (and WebPipe's own test runner, {@code Server-Timing} and
 * observations) may see of a request's route run, its steps and its {@code @async} tasks, and how a step's
 * execution may be wrapped (docs/extending.md#instrumentation).
 */
@NullMarked
package dev.webpipe.instrumentation;

import org.jspecify.annotations.NullMarked;
