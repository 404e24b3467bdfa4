/**
 * Spring Boot auto-configuration of WebPipe: properties, the program loaded from the
 * {@code .wp} files, the router functions and failure analyzers.
 */
@NullMarked
package dev.webpipe.autoconfigure;

import org.jspecify.annotations.NullMarked;
