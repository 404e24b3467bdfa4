package dev.webpipe.middleware.auth;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.ConfigBlock.InvalidValueException;

/**
 * The settings of {@code config auth { … }} and {@code webpipe.config.auth.*}
 * (docs/middleware/auth.md#cookies-and-config-auth), bound once at load time: defaults applied, string
 * values such as {@code "3600"} converted, and a value that does not convert or is not allowed reported at
 * its key.
 *
 * @param sessionTtl seconds a session lives, also the cookie's {@code Max-Age}
 * @param cookieName the session cookie's name
 * @param cookieSecure whether the cookie is marked {@code Secure}
 * @param cookieHttpOnly whether the cookie is marked {@code HttpOnly}
 * @param cookieSameSite {@code Strict}, {@code Lax} or {@code None}
 * @param cookiePath the cookie's {@code Path}
 */
record AuthSettings(long sessionTtl, String cookieName, boolean cookieSecure, boolean cookieHttpOnly,
		String cookieSameSite, String cookiePath) {

	/** The defaults, as {@code config auth { }} gives them. */
	static final AuthSettings DEFAULTS = new AuthSettings(604800, "wp_session", false, true, "Lax", "/");

	/** RFC 6265 cookie-name characters (an HTTP token). */
	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

	private static final Pattern PATH = Pattern.compile("/[\\x21-\\x3A\\x3C-\\x7E]*");

	/** Binds and checks the block's values; a key left out takes its default. */
	@JsonCreator
	static AuthSettings bind(@JsonProperty("sessionTtl") @Nullable JsonNode sessionTtl,
			@JsonProperty("cookieName") @Nullable JsonNode cookieName,
			@JsonProperty("cookieSecure") @Nullable JsonNode cookieSecure,
			@JsonProperty("cookieHttpOnly") @Nullable JsonNode cookieHttpOnly,
			@JsonProperty("cookieSameSite") @Nullable JsonNode cookieSameSite,
			@JsonProperty("cookiePath") @Nullable JsonNode cookiePath) {
		long ttl = number(sessionTtl, "sessionTtl", DEFAULTS.sessionTtl());
		String name = text(cookieName, DEFAULTS.cookieName());
		if (!TOKEN.matcher(name).matches()) {
			throw new InvalidValueException("cookieName", "cookieName '" + name
					+ "' is not a valid cookie name (letters, digits and !#$%&'*+-.^_`|~)");
		}
		String sameSite = sameSite(text(cookieSameSite, DEFAULTS.cookieSameSite()));
		String path = text(cookiePath, DEFAULTS.cookiePath());
		if (!PATH.matcher(path).matches()) {
			throw new InvalidValueException("cookiePath", "cookiePath must start with '/' and contain no ';', "
					+ "spaces or control characters, got '" + path + "'");
		}
		return new AuthSettings(ttl, name, bool(cookieSecure, "cookieSecure", DEFAULTS.cookieSecure()),
				bool(cookieHttpOnly, "cookieHttpOnly", DEFAULTS.cookieHttpOnly()), sameSite, path);
	}

	/**
	 * Whether the block sets {@code cookieSecure} (in a {@code .wp} file or by a property) rather than leaving the
	 * default: a deliberate choice, which start-up does not warn about (docs/middleware/auth.md#cookies-and-config-auth).
	 * The block's keys are the declared ones: property overrides are matched to them before the block is read.
	 */
	static boolean setsCookieSecure(ObjectNode block) {
		return block.has("cookieSecure");
	}

	/** {@code <cookieName>=<token>; HttpOnly; Secure; SameSite=…; Path=…; Max-Age=<sessionTtl>}. */
	String sessionCookie(String token) {
		StringBuilder cookie = new StringBuilder(this.cookieName).append('=').append(token);
		if (this.cookieHttpOnly) {
			cookie.append("; HttpOnly");
		}
		if (this.cookieSecure) {
			cookie.append("; Secure");
		}
		return cookie.append("; SameSite=")
			.append(this.cookieSameSite)
			.append("; Path=")
			.append(this.cookiePath)
			.append("; Max-Age=")
			.append(this.sessionTtl)
			.toString();
	}

	/** {@code <cookieName>=; HttpOnly; Secure (if cookieSecure); SameSite=Strict; Path=…; Max-Age=0}. */
	String clearingCookie() {
		return this.cookieName + "=; HttpOnly" + (this.cookieSecure ? "; Secure" : "") + "; SameSite=Strict; Path="
				+ this.cookiePath + "; Max-Age=0";
	}

	private static String sameSite(String value) {
		for (String allowed : List.of("Strict", "Lax", "None")) {
			if (allowed.equalsIgnoreCase(value.trim())) {
				return allowed;
			}
		}
		throw new InvalidValueException("cookieSameSite",
				"cookieSameSite must be Strict, Lax or None, got '" + value + "'");
	}

	private static String text(@Nullable JsonNode value, String fallback) {
		return (value == null || value.isNull()) ? fallback : value.asText();
	}

	private static long number(@Nullable JsonNode value, String key, long fallback) {
		if (value == null || value.isNull()) {
			return fallback;
		}
		String text = value.asText().trim();
		long parsed;
		try {
			parsed = Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			throw new InvalidValueException(key, key + " must be a whole number of seconds, got '" + text + "'");
		}
		if (parsed < 1) {
			throw new InvalidValueException(key, key + " must be at least 1, got " + parsed);
		}
		return parsed;
	}

	private static boolean bool(@Nullable JsonNode value, String key, boolean fallback) {
		if (value == null || value.isNull()) {
			return fallback;
		}
		String text = value.asText().trim().toLowerCase(Locale.ROOT);
		if (text.equals("true")) {
			return true;
		}
		if (text.equals("false")) {
			return false;
		}
		throw new InvalidValueException(key, key + " must be true or false, got '" + text + "'");
	}

}
