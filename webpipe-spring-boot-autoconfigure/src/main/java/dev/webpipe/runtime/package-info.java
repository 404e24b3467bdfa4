/**
 * Runtime building blocks shared by the pipeline engine and the middleware: the private Jackson 2 mapper
 * ({@link dev.webpipe.middleware.Json}), typed error helpers and number coercion of request parameters.
 * <p>
 * All JSON values are Jackson 2 ({@code com.fasterxml.jackson}) nodes, because jackson-jq requires them, even in a
 * Boot 4 application whose own mapper is Jackson 3.
 */
package dev.webpipe.runtime;
