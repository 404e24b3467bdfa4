/**
 * The {@code log} middleware (docs/middleware/log.md).
 */
@NullMarked
package dev.webpipe.middleware.log;

import org.jspecify.annotations.NullMarked;
