/**
 * The {@code debug} middleware (docs/middleware/debug.md).
 */
@NullMarked
package dev.webpipe.middleware.debug;

import org.jspecify.annotations.NullMarked;
