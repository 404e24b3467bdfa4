package dev.webpipe.autoconfigure.actuate;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;

import dev.webpipe.autoconfigure.WebPipeProperties;

/**
 * The {@code webpipe.*} properties in force, one flat key each ({@code webpipe.config.pg.password}),
 * sanitized the way Boot's {@code configprops} endpoint does it: with
 * {@code management.endpoint.webpipe.show-values} ({@code never} by default) every value is
 * {@code ******}; when values are shown, the application's {@code SanitizingFunction} beans apply,
 * and a key that names a secret (password, secret, token, credentials, private or API key) is
 * masked whatever the setting (docs/operations.md#the-webpipe-endpoint).
 */
public final class WebPipePropertiesReport {

	private static final Pattern SECRET = Pattern
		.compile(".*(password|passwd|secret|token|credential|credentials|apikey|privatekey)$");

	private final WebPipeProperties properties;

	private final Sanitizer sanitizer;

	private final Show showValues;

	private final Collection<String> roles;

	/**
	 * @param properties the bound properties
	 * @param sanitizer the sanitizer with the application's sanitizing functions
	 * @param showValues when values are shown
	 * @param roles the roles that may see values with {@link Show#WHEN_AUTHORIZED}
	 */
	public WebPipePropertiesReport(WebPipeProperties properties, Sanitizer sanitizer, Show showValues,
			Collection<String> roles) {
		this.properties = properties;
		this.sanitizer = sanitizer;
		this.showValues = showValues;
		this.roles = List.copyOf(roles);
	}

	/** The properties by key, in key order, sanitized for this caller. */
	public Map<String, @Nullable Object> report(SecurityContext securityContext) {
		boolean show = this.showValues.isShown(securityContext, this.roles);
		Map<String, @Nullable Object> flat = new TreeMap<>();
		flatten("webpipe", this.properties, flat);
		Map<String, @Nullable Object> report = new TreeMap<>();
		flat.forEach((key, value) -> report.put(key, sanitize(key, value, show)));
		return report;
	}

	private @Nullable Object sanitize(String key, @Nullable Object value, boolean show) {
		if (value == null) {
			return null;
		}
		if (isSecret(key)) {
			return SanitizableData.SANITIZED_VALUE;
		}
		return this.sanitizer.sanitize(new SanitizableData(null, key, value), show);
	}

	static boolean isSecret(String key) {
		String last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT).replace("-", "")
			.replace("_", "");
		return SECRET.matcher(last).matches();
	}

	private static void flatten(String prefix, @Nullable Object value, Map<String, @Nullable Object> out) {
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, nested) -> flatten(prefix + "." + key, nested, out));
			return;
		}
		if (value != null && isPropertiesGroup(value.getClass())) {
			BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(value);
			for (PropertyDescriptor descriptor : wrapper.getPropertyDescriptors()) {
				if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
					continue;
				}
				flatten(prefix + "." + kebab(descriptor.getName()), wrapper.getPropertyValue(descriptor.getName()),
						out);
			}
			return;
		}
		if (value instanceof Collection<?> collection) {
			List<String> items = new ArrayList<>();
			collection.forEach((item) -> items.add(String.valueOf(item)));
			out.put(prefix, items);
			return;
		}
		out.put(prefix, (value == null || value instanceof Number || value instanceof Boolean
				|| value instanceof String) ? value : value.toString());
	}

	private static boolean isPropertiesGroup(Class<?> type) {
		return type == WebPipeProperties.class || type.getEnclosingClass() == WebPipeProperties.class;
	}

	private static String kebab(String name) {
		StringBuilder kebab = new StringBuilder();
		for (char c : name.toCharArray()) {
			if (Character.isUpperCase(c)) {
				kebab.append('-').append(Character.toLowerCase(c));
			}
			else {
				kebab.append(c);
			}
		}
		return kebab.toString();
	}

}
