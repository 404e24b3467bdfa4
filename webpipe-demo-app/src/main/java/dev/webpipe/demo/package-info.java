/**
 * The demo application of docs/demo.md: its GraphQL schema, its REST API and its embedded database.
 */
@NullMarked
package dev.webpipe.demo;

import org.jspecify.annotations.NullMarked;
