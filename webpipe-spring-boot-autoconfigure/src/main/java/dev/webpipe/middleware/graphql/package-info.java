/**
 * The {@code graphql} middleware, remote or in-process (docs/middleware/graphql.md).
 */
@NullMarked
package dev.webpipe.middleware.graphql;

import org.jspecify.annotations.NullMarked;
