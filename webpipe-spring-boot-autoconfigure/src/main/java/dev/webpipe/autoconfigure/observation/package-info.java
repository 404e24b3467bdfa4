/**
 * Auto-configuration of the step and task observations when the application has an {@code ObservationRegistry}
 * (docs/operations.md#metrics-and-traces).
 */
@NullMarked
package dev.webpipe.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
