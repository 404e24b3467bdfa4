package dev.webpipe.autoconfigure;

import java.util.List;

import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.middleware.fetch.FetchMiddleware;
import dev.webpipe.middleware.http.OutboundHostRules;
import dev.webpipe.middleware.http.OutboundHttp;

/**
 * The {@code fetch} middleware and the outbound HTTP client it shares with remote
 * {@code graphql} steps: one {@link WebClient} built from the application's
 * {@link WebClient.Builder} (a plain builder when the application has none).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ WebClient.class, HttpClient.class })
class FetchConfiguration {

	@Bean
	OutboundHttp webPipeOutboundHttp(ObjectProvider<WebClient.Builder> builder, WebPipeProperties properties) {
		WebPipeProperties.Fetch fetch = properties.getFetch();
		OutboundHostRules rules = OutboundHostRules.of(fetch.getAllowedHosts(), fetch.getDeniedHosts(),
				fetch.isDenyPrivateAddresses());
		return OutboundHttp.create(builder.getIfAvailable(WebClient::builder), fetch.getDefaultTimeout(),
				fetch.getMaxResponseSize(), rules, fetch.getMaxConnections());
	}

	@Bean
	WebPipeBuiltins webPipeFetchBuiltins(OutboundHttp webPipeOutboundHttp) {
		return new WebPipeBuiltins(List.of(new FetchMiddleware(webPipeOutboundHttp)));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebServerInitializedEvent.class)
	static class LocalServerConfiguration {

		/** Relative fetch URLs call this application at the port its main server bound. */
		@Bean
		static ApplicationListener<WebServerInitializedEvent> webPipeLocalServerPortListener(
				ObjectProvider<OutboundHttp> http) {
			return (event) -> {
				if (event.getApplicationContext().getServerNamespace() == null) {
					http.ifAvailable((client) -> client.setLocalPort(event.getWebServer().getPort()));
				}
			};
		}

	}

}
