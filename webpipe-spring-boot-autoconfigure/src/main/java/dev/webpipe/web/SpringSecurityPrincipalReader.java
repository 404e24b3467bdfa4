package dev.webpipe.web;

import java.security.Principal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.Json;

/**
 * {@code $context.principal} from Spring Security (docs/security.md#spring-security): the exchange's principal,
 * which Spring Security's filter chain sets to the request's {@link Authentication}, as
 * {@code { name, authorities: [...] }}; JSON {@code null} for a request without one, an anonymous one or one not
 * authenticated. Used only when Spring Security's reactive web support is on the class path.
 */
public final class SpringSecurityPrincipalReader implements PrincipalReader {

	private static final Mono<JsonNode> ANONYMOUS = Mono.just(NullNode.getInstance());

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	@Override
	public Mono<JsonNode> read(ServerWebExchange exchange) {
		return exchange.getPrincipal().map(this::toJson).switchIfEmpty(ANONYMOUS);
	}

	private JsonNode toJson(Principal principal) {
		ObjectNode json = Json.NODES.objectNode();
		ArrayNode authorities;
		if (principal instanceof Authentication authentication) {
			if (!authentication.isAuthenticated() || this.trustResolver.isAnonymous(authentication)) {
				return NullNode.getInstance();
			}
			json.put("name", authentication.getName());
			authorities = json.putArray("authorities");
			for (GrantedAuthority authority : authentication.getAuthorities()) {
				if (authority.getAuthority() != null) {
					authorities.add(authority.getAuthority());
				}
			}
		}
		else {
			json.put("name", principal.getName());
			json.putArray("authorities");
		}
		return json;
	}

}
