/**
 * The runner of the {@code describe}/{@code it} tests of {@code .wp} files (docs/testing.md).
 */
@NullMarked
package dev.webpipe.test;

import org.jspecify.annotations.NullMarked;
