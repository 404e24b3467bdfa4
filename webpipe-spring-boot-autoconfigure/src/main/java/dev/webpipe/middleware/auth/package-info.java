/**
 * The {@code auth} middleware: login, register, logout and session checks on the {@code users} and
 * {@code sessions} tables of the {@code pg} database, with Argon2id password hashes computed off the
 * event loop (docs/middleware/auth.md).
 */
@NullMarked
package dev.webpipe.middleware.auth;

import org.jspecify.annotations.NullMarked;
