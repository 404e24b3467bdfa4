/**
 * The {@code .wp} routes in springdoc-openapi's document, when springdoc is on the class path
 * (docs/openapi.md).
 */
@NullMarked
package dev.webpipe.autoconfigure.openapi;

import org.jspecify.annotations.NullMarked;
