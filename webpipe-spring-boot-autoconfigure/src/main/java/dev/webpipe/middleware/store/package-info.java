/**
 * What the {@code cache} and {@code rateLimit} middleware share (docs/scaling.md): their {@code key: value}
 * config strings and values, key templates, the Caffeine cache of their local stores, the count and the
 * rate-limited WARN of failed store calls, and the bound of every Redis call.
 */
@NullMarked
package dev.webpipe.middleware.store;

import org.jspecify.annotations.NullMarked;
