package dev.webpipe.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads {@code $context.principal} of a request (docs/security.md#spring-security): an object, or JSON
 * {@code null} for an anonymous request. With none, {@code $context} has no {@code principal}.
 */
@FunctionalInterface
public interface PrincipalReader {

	/** The key of {@code $context} that holds the principal. */
	String KEY = "principal";

	/** The principal of the exchange as JSON; never empty. */
	Mono<JsonNode> read(ServerWebExchange exchange);

}
