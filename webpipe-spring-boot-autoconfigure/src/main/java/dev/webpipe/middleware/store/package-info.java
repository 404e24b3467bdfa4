/**
 * What the {@code cache} and {@code rateLimit} middleware share about their stores (docs/scaling.md): the count
 * and the rate-limited WARN of failed store calls, and the bound of every Redis call.
 */
package dev.webpipe.middleware.store;
