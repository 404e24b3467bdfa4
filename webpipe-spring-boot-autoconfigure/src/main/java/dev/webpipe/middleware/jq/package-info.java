/**
 * The {@code jq} middleware (docs/middleware/jq.md).
 */
@NullMarked
package dev.webpipe.middleware.jq;

import org.jspecify.annotations.NullMarked;
