/**
 * The {@code rateLimit} middleware and its stores (docs/middleware/rate-limit.md).
 */
@NullMarked
package dev.webpipe.middleware.ratelimit;

import org.jspecify.annotations.NullMarked;
