/**
 * The {@code validate} middleware (docs/middleware/validate.md).
 */
@NullMarked
package dev.webpipe.middleware.validate;

import org.jspecify.annotations.NullMarked;
