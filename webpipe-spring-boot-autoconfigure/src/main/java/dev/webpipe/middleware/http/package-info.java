/**
 * The outbound HTTP client of {@code fetch} and {@code graphql}, with its host rules (docs/security.md).
 */
@NullMarked
package dev.webpipe.middleware.http;

import org.jspecify.annotations.NullMarked;
