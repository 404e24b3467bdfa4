/**
 * The {@code fetch} middleware (docs/middleware/fetch.md).
 */
@NullMarked
package dev.webpipe.middleware.fetch;

import org.jspecify.annotations.NullMarked;
