package dev.webpipe.middleware.auth;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.webpipe.middleware.InvalidStepException;

/**
 * The settings of {@code config auth { … }} and {@code webpipe.config.auth.*}
 * (docs/middleware/auth.md#cookies-and-config-auth), defaults applied and string values such as {@code "3600"}
 * converted.
 *
 * @param sessionTtl seconds a session lives, also the cookie's {@code Max-Age}
 * @param cookieName the session cookie's name
 * @param cookieSecure whether the cookie is marked {@code Secure}
 * @param cookieHttpOnly whether the cookie is marked {@code HttpOnly}
 * @param cookieSameSite {@code Strict}, {@code Lax} or {@code None}
 * @param cookiePath the cookie's {@code Path}
 */
public record AuthSettings(long sessionTtl, String cookieName, boolean cookieSecure, boolean cookieHttpOnly,
		String cookieSameSite, String cookiePath) {

	/** The keys {@code config auth} understands, in the order the documentation lists them. */
	static final List<String> KEYS = List.of("sessionTtl", "cookieName", "cookieSecure", "cookieHttpOnly",
			"cookieSameSite", "cookiePath");

	/** The defaults, as {@code config auth { }} gives them. */
	public static final AuthSettings DEFAULTS = new AuthSettings(604800, "wp_session", false, true, "Lax", "/");

	/** RFC 6265 cookie-name characters (an HTTP token). */
	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

	private static final Pattern PATH = Pattern.compile("/[\\x21-\\x3A\\x3C-\\x7E]*");

	/** Reads and checks {@code config auth}. */
	public static AuthSettings from(ObjectNode block) throws InvalidStepException {
		block = canonical(block);
		long ttl = number(block, "sessionTtl", DEFAULTS.sessionTtl());
		String name = text(block, "cookieName", DEFAULTS.cookieName());
		if (!TOKEN.matcher(name).matches()) {
			throw new InvalidStepException("auth: config auth cookieName '" + name
					+ "' is not a valid cookie name (letters, digits and !#$%&'*+-.^_`|~)");
		}
		String sameSite = sameSite(text(block, "cookieSameSite", DEFAULTS.cookieSameSite()));
		String path = text(block, "cookiePath", DEFAULTS.cookiePath());
		if (!PATH.matcher(path).matches()) {
			throw new InvalidStepException("auth: config auth cookiePath must start with '/' and contain no ';', "
					+ "spaces or control characters, got '" + path + "'");
		}
		return new AuthSettings(ttl, name, bool(block, "cookieSecure", DEFAULTS.cookieSecure()),
				bool(block, "cookieHttpOnly", DEFAULTS.cookieHttpOnly()), sameSite, path);
	}

	/**
	 * Whether the block sets {@code cookieSecure} (in a {@code .wp} file or by a property) rather than leaving the
	 * default: a deliberate choice, which start-up does not warn about (docs/middleware/auth.md#cookies-and-config-auth).
	 */
	static boolean setsCookieSecure(ObjectNode block) throws InvalidStepException {
		return canonical(block).has("cookieSecure");
	}

	/**
	 * The block with its keys in their documented spelling: keys match in Spring's relaxed form (case,
	 * dashes and underscores ignored), so that {@code webpipe.config.auth.cookie-secure} and
	 * {@code WEBPIPE_CONFIG_AUTH_COOKIESECURE} set {@code cookieSecure}; a later key wins.
	 */
	private static ObjectNode canonical(ObjectNode block) throws InvalidStepException {
		ObjectNode result = block.objectNode();
		Iterator<String> names = block.fieldNames();
		while (names.hasNext()) {
			String key = names.next();
			String known = KEYS.stream().filter((k) -> relaxed(k).equals(relaxed(key))).findFirst().orElse(null);
			if (known == null) {
				throw new InvalidStepException("auth: unknown key '" + key + "' in config auth (known keys: "
						+ String.join(", ", KEYS) + ")");
			}
			result.set(known, block.get(key));
		}
		return result;
	}

	private static String relaxed(String key) {
		return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
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

	private static String sameSite(String value) throws InvalidStepException {
		for (String allowed : List.of("Strict", "Lax", "None")) {
			if (allowed.equalsIgnoreCase(value.trim())) {
				return allowed;
			}
		}
		throw new InvalidStepException(
				"auth: config auth cookieSameSite must be Strict, Lax or None, got '" + value + "'");
	}

	private static String text(ObjectNode block, String key, String fallback) {
		JsonNode value = block.get(key);
		return (value == null || value.isNull()) ? fallback : value.asText();
	}

	private static long number(ObjectNode block, String key, long fallback) throws InvalidStepException {
		JsonNode value = block.get(key);
		if (value == null || value.isNull()) {
			return fallback;
		}
		String text = value.asText().trim();
		long parsed;
		try {
			parsed = Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			throw new InvalidStepException("auth: config auth " + key + " must be a whole number of seconds, got '"
					+ text + "'");
		}
		if (parsed < 1) {
			throw new InvalidStepException("auth: config auth " + key + " must be at least 1, got " + parsed);
		}
		return parsed;
	}

	private static boolean bool(ObjectNode block, String key, boolean fallback) throws InvalidStepException {
		JsonNode value = block.get(key);
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
		throw new InvalidStepException("auth: config auth " + key + " must be true or false, got '" + text + "'");
	}

}
