/**
 * The compiler: parsed {@code .wp} documents and the middleware registry to one immutable,
 * executable program, with every load-time check of grammar.md §8 that needs names.
 */
package dev.webpipe.compile;
