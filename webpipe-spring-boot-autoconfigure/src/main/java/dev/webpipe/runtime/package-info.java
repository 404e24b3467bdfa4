/**
 * The executor of compiled pipelines (docs/architecture.md#one-request): stages, tags, {@code @async}
 * tasks and {@code join}, {@code result} branches, the per-request context and the status table of
 * unhandled errors.
 * <p>
 * All JSON values are Jackson 2 ({@code com.fasterxml.jackson}) nodes, because jackson-jq requires them, even in a
 * Boot 4 application whose own mapper is Jackson 3.
 */
@NullMarked
package dev.webpipe.runtime;

import org.jspecify.annotations.NullMarked;
