/**
 * The actuator endpoint and health indicator of WebPipe (docs/operations.md).
 */
@NullMarked
package dev.webpipe.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
