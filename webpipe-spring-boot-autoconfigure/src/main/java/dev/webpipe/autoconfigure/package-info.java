/**
 * Spring Boot auto-configuration of WebPipe: properties, the program loaded from the
 * {@code .wp} files, the router functions and failure analyzers.
 */
package dev.webpipe.autoconfigure;
