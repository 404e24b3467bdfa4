/**
 * The {@code handlebars} middleware (docs/middleware/handlebars.md).
 */
@NullMarked
package dev.webpipe.middleware.handlebars;

import org.jspecify.annotations.NullMarked;
