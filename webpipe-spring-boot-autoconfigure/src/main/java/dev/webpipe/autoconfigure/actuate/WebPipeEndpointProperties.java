package dev.webpipe.autoconfigure.actuate;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the {@code webpipe} Actuator endpoint, like those of Boot's {@code configprops}. */
@ConfigurationProperties("management.endpoint.webpipe")
public class WebPipeEndpointProperties {

	/**
	 * When the values of the webpipe.* properties are shown rather than masked.
	 */
	private Show showValues = Show.NEVER;

	/**
	 * Roles that may see the values when show-values is when-authorized; empty means any
	 * authenticated user.
	 */
	private Set<String> roles = new LinkedHashSet<>();

	public Show getShowValues() {
		return this.showValues;
	}

	public void setShowValues(Show showValues) {
		this.showValues = showValues;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

	public void setRoles(Set<String> roles) {
		this.roles = roles;
	}

}
