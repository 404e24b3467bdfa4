/**
 * The {@code cache} middleware and its stores (docs/middleware/cache.md).
 */
@NullMarked
package dev.webpipe.middleware.cache;

import org.jspecify.annotations.NullMarked;
