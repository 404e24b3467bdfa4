/**
 * The HTTP edge of the runtime: building the request state from a WebFlux request and writing the final state as
 * the response. Bodies are handled as bytes with the starter's own Jackson 2 mapper, never through the
 * application's (Jackson 3) codecs.
 */
@NullMarked
package dev.webpipe.web;

import org.jspecify.annotations.NullMarked;
