/**
 * The {@code .wp} language: source files, the parser, the immutable AST and diagnostics.
 * <p>
 * This package depends on nothing but the JDK (and JSpecify's nullness annotations): no Spring, no Reactor,
 * no Jackson.
 */
@NullMarked
package dev.webpipe.language;

import org.jspecify.annotations.NullMarked;
