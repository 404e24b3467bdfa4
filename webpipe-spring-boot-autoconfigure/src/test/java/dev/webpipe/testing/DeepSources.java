package dev.webpipe.testing;

/**
 * {@code .wp} text nested as deep as asked, for the nesting limit of the parser and the compiler
 * (docs/language.md#nesting).
 */
public final class DeepSources {

	private DeepSources() {
	}

	/**
	 * A route {@code GET /deep} of {@code depth} nested {@code if} blocks, one token per line, all at column 1: level
	 * {@code k} opens on line {@code 3k - 1}; the innermost step answers {@code {"deep":true}}.
	 */
	public static String nestedIfs(int depth) {
		StringBuilder text = new StringBuilder("GET /deep\n");
		text.append("|> if\n|> jq: `.`\nthen:\n".repeat(depth));
		text.append("|> jq: `{ deep: true }`\n");
		text.append("end\n".repeat(depth));
		return text.toString();
	}

}
