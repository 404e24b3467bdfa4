/**
 * jq programs compiled once with jackson-jq 1.6.0 and applied per request, with {@code $context} and {@code $ENV}
 * bound.
 */
@NullMarked
package dev.webpipe.runtime.jq;

import org.jspecify.annotations.NullMarked;
