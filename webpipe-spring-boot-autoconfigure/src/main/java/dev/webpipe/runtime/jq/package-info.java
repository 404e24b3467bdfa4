/**
 * jq programs compiled once with jackson-jq 1.6.0 and applied per request, with {@code $context} and {@code $ENV}
 * bound.
 */
package dev.webpipe.runtime.jq;
