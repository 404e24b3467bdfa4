/**
 * The {@code .wp} language: source files, the parser, the immutable AST and diagnostics.
 * <p>
 * This package depends on nothing but the JDK: no Spring, no Reactor, no Jackson.
 */
package dev.webpipe.language;
