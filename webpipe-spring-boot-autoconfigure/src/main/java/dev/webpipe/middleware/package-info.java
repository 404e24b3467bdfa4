/**
 * The middleware SPI: one small interface that built-in and application middleware implement.
 * <p>
 * The state a middleware reads and writes is a Jackson 2 {@link com.fasterxml.jackson.databind.JsonNode}
 * ({@code com.fasterxml.jackson}, because jackson-jq requires it), also in a Boot 4 application whose
 * own mapper is Jackson 3.
 */
@NullMarked
package dev.webpipe.middleware;

import org.jspecify.annotations.NullMarked;
