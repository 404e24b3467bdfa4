/**
 * The {@code pg} middleware: SQL on PostgreSQL through R2DBC, with parameters always bound and
 * row-returning results encoded as JSON by PostgreSQL itself (middleware.md, pg).
 */
@NullMarked
package dev.webpipe.middleware.pg;

import org.jspecify.annotations.NullMarked;
