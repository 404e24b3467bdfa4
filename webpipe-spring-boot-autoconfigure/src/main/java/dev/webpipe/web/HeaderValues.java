package dev.webpipe.web;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/** Checks for header names and values taken from the state. */
final class HeaderValues {

	private HeaderValues() {
	}

	/** An RFC 9110 token: the only valid header names. */
	static boolean isToken(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
			if (!ok) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The value as it can be sent: {@code null} when it holds control characters (CR and LF could inject headers);
	 * a value with non-ASCII characters is sent as its UTF-8 bytes.
	 */
	static @Nullable String sanitize(String value) {
		boolean ascii = true;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				return null;
			}
			if (c > 0x7f) {
				ascii = false;
			}
		}
		return ascii ? value : new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
	}

}
