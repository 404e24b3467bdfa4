/**
 * The {@code lua} middleware and its sandbox (docs/middleware/lua.md).
 */
@NullMarked
package dev.webpipe.middleware.lua;

import org.jspecify.annotations.NullMarked;
