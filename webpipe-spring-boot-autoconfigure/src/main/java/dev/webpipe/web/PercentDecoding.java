package dev.webpipe.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.function.BiConsumer;

/** Lenient {@code application/x-www-form-urlencoded} decoding: malformed escapes are kept as they are. */
final class PercentDecoding {

	private PercentDecoding() {
	}

	/** Splits {@code name=value&…} and calls {@code sink} for each pair, decoded, in order. */
	static void forEachPair(String encoded, Charset charset, BiConsumer<String, String> sink) {
		if (encoded == null || encoded.isEmpty()) {
			return;
		}
		int start = 0;
		while (start <= encoded.length()) {
			int end = encoded.indexOf('&', start);
			if (end < 0) {
				end = encoded.length();
			}
			if (end > start) {
				String pair = encoded.substring(start, end);
				int equals = pair.indexOf('=');
				String name = (equals >= 0) ? pair.substring(0, equals) : pair;
				String value = (equals >= 0) ? pair.substring(equals + 1) : "";
				sink.accept(decode(name, charset), decode(value, charset));
			}
			start = end + 1;
		}
	}

	/** Decodes {@code %XX} escapes and {@code +} (a space). */
	static String decode(String text, Charset charset) {
		if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
			return text;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
		StringBuilder out = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
				bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
				i += 2;
				continue;
			}
			flush(bytes, charset, out);
			out.append((c == '+') ? ' ' : c);
		}
		flush(bytes, charset, out);
		return out.toString();
	}

	private static void flush(ByteArrayOutputStream bytes, Charset charset, StringBuilder out) {
		if (bytes.size() > 0) {
			out.append(bytes.toString(charset));
			bytes.reset();
		}
	}

	private static boolean isHex(char c) {
		return Character.digit(c, 16) >= 0 && c < 128;
	}

}
