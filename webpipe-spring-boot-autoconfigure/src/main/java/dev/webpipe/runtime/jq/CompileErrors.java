package dev.webpipe.runtime.jq;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.thisptr.jackson.jq.internal.javacc.ParseException;
import net.thisptr.jackson.jq.internal.javacc.Token;
import net.thisptr.jackson.jq.internal.javacc.TokenMgrError;

import dev.webpipe.middleware.Errors;

/** Turns jackson-jq's compile failures into {@link JqCompileException}s with a plain detail and a position. */
final class CompileErrors {

	private static final Pattern LEXICAL = Pattern
		.compile("Lexical error at line (\\d+), column (\\d+)\\.\\s*Encountered: (.*?)(?:, \\(in lexical state \\d+\\))?$",
				Pattern.DOTALL);

	private static final Pattern NUMBER = Pattern.compile("For input string: \"(.*)\"");

	/** jackson-jq's own checks after parsing, e.g. {@code Unexpected ')' at line 3, column 20.} */
	private static final Pattern AT_LINE = Pattern.compile("(.+?) at line (\\d+), column (\\d+)\\.?", Pattern.DOTALL);

	private CompileErrors() {
	}

	static JqCompileException translate(String source, Throwable error) {
		Throwable cause = error;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
			if (cause instanceof ParseException parse) {
				return fromParse(source, parse, error);
			}
			if (cause instanceof TokenMgrError lexical) {
				return fromLexical(source, lexical, error);
			}
		}
		if (cause instanceof NumberFormatException number) {
			Matcher matcher = NUMBER.matcher(String.valueOf(number.getMessage()));
			String literal = matcher.matches() ? matcher.group(1) : "";
			return new JqCompileException("number literal out of range" + (literal.isEmpty() ? "" : ": " + literal),
					0, 0, -1, error);
		}
		if (error instanceof StackOverflowError) {
			return new JqCompileException("program nested too deeply", 0, 0, -1, null);
		}
		String detail = (cause == error) ? "cannot compile the program" : Errors.plainMessage(cause);
		Matcher at = AT_LINE.matcher(detail);
		if (cause != error && at.matches()) {
			int offset = offset(source, Integer.parseInt(at.group(2)), Integer.parseInt(at.group(3)));
			String plain = at.group(1);
			plain = plain.isEmpty() ? plain : Character.toLowerCase(plain.charAt(0)) + plain.substring(1);
			return new JqCompileException(plain, lineOf(source, offset), columnOf(source, offset), offset, error);
		}
		return new JqCompileException(detail, 0, 0, -1, error);
	}

	private static JqCompileException fromParse(String source, ParseException parse, Throwable error) {
		Token current = parse.currentToken;
		Token next = (current != null) ? current.next : null;
		if (next == null) {
			return new JqCompileException("syntax error", 0, 0, -1, error);
		}
		Set<String> expected = expected(parse);
		StringBuilder detail = new StringBuilder();
		int offset;
		if (next.kind == 0) {
			detail.append("unexpected end of program");
			offset = source.length();
		}
		else {
			detail.append("unexpected \"").append(next.image).append('"');
			offset = offset(source, next.beginLine, next.beginColumn);
		}
		String previous = (current.image != null) ? current.image : "";
		if ("end".equals(next.image) && expected.contains("else")) {
			detail.append(": an if needs an else branch in this jq dialect (write \"else . end\")");
		}
		else if ("}".equals(next.image) && ",".equals(previous)) {
			detail.append(": a trailing comma is not allowed in an object literal");
		}
		else if (next.kind != 0 && expected.equals(Set.of("}", ","))) {
			detail.append(": an object value that starts with a parenthesised expression must be parenthesised"
					+ " as a whole, e.g. { n: ((.a | length) + 1) }");
		}
		else if (!expected.isEmpty() && expected.size() <= 4) {
			detail.append(", expected ").append(String.join(" or ", expected.stream().map(e -> "\"" + e + "\"").toList()));
		}
		int line = (next.kind == 0) ? lineOf(source, offset) : next.beginLine;
		int column = (next.kind == 0) ? columnOf(source, offset) : next.beginColumn;
		return new JqCompileException(detail.toString(), line, column, offset, error);
	}

	private static Set<String> expected(ParseException parse) {
		Set<String> expected = new LinkedHashSet<>();
		if (parse.expectedTokenSequences == null || parse.tokenImage == null) {
			return expected;
		}
		for (int[] sequence : parse.expectedTokenSequences) {
			if (sequence.length > 0 && sequence[0] < parse.tokenImage.length) {
				String image = parse.tokenImage[sequence[0]];
				if (image.length() >= 2 && image.startsWith("\"") && image.endsWith("\"")) {
					image = image.substring(1, image.length() - 1);
				}
				expected.add(image);
			}
		}
		return expected;
	}

	private static JqCompileException fromLexical(String source, TokenMgrError lexical, Throwable error) {
		Matcher matcher = LEXICAL.matcher(String.valueOf(lexical.getMessage()).trim());
		if (!matcher.matches()) {
			return new JqCompileException("invalid character", 0, 0, -1, error);
		}
		int line = Integer.parseInt(matcher.group(1));
		int column = Integer.parseInt(matcher.group(2));
		String encountered = matcher.group(3).trim();
		int offset = Math.min(offset(source, line, column), source.length());
		String detail = encountered.startsWith("<EOF>") ? "unexpected end of program (unterminated string?)"
				: "invalid character " + encountered;
		return new JqCompileException(detail, lineOf(source, offset), columnOf(source, offset), offset, error);
	}

	/** 0-based offset of a 1-based line and column (javacc: a tab is one column; \n, \r and \r\n end a line). */
	static int offset(String source, int line, int column) {
		int currentLine = 1;
		int i = 0;
		while (currentLine < line && i < source.length()) {
			char c = source.charAt(i++);
			if (c == '\r') {
				if (i < source.length() && source.charAt(i) == '\n') {
					i++;
				}
				currentLine++;
			}
			else if (c == '\n') {
				currentLine++;
			}
		}
		return Math.min(i + Math.max(column, 1) - 1, source.length());
	}

	private static int lineOf(String source, int offset) {
		int line = 1;
		for (int i = 0; i < offset && i < source.length(); i++) {
			char c = source.charAt(i);
			if (c == '\n' || (c == '\r' && (i + 1 >= source.length() || source.charAt(i + 1) != '\n'))) {
				line++;
			}
		}
		return line;
	}

	private static int columnOf(String source, int offset) {
		int start = offset;
		while (start > 0 && source.charAt(start - 1) != '\n' && source.charAt(start - 1) != '\r') {
			start--;
		}
		return offset - start + 1;
	}

}
