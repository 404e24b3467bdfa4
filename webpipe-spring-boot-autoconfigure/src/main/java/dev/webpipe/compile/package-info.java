/**
 * The compiler: parsed {@code .wp} documents and the middleware registry to one immutable,
 * executable program, with every load-time check that needs names (docs/language.md#error-messages).
 */
@NullMarked
package dev.webpipe.compile;

import org.jspecify.annotations.NullMarked;
