package dev.webpipe.middleware.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.webpipe.middleware.InvalidStepException;

/**
 * Parses a {@code validate} config (docs/middleware/validate.md#rules): rules separated by new lines
 * or by commas outside parentheses, optionally inside one pair of braces, {@code #} starting a comment.
 */
final class ValidationRules {

	private static final Pattern RULE = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)\\s*:\\s*([A-Za-z_][A-Za-z0-9_]*)(.*)",
			Pattern.DOTALL);

	private static final Pattern RANGE = Pattern.compile("\\(\\s*(\\d+)?\\s*(\\.\\.)?\\s*(\\d+)?\\s*\\)");

	private ValidationRules() {
	}

	/**
	 * @throws InvalidStepException {@code validate: cannot parse rule '<rule>'} or
	 * {@code validate: unknown rule kind '<kind>'}, at the rule's offset in {@code config}
	 */
	static List<ValidationRule> parse(String config) throws InvalidStepException {
		String text = withoutComments(config);
		int from = 0;
		int to = text.length();
		String trimmed = text.strip();
		if (trimmed.startsWith("{") && trimmed.endsWith("}")) {
			from = text.indexOf('{') + 1;
			to = text.lastIndexOf('}');
		}
		List<ValidationRule> rules = new ArrayList<>();
		int depth = 0;
		int start = from;
		for (int i = from; i <= to; i++) {
			char c = (i < to) ? text.charAt(i) : '\n';
			if (c == '(') {
				depth++;
			}
			else if (c == ')') {
				depth = Math.max(0, depth - 1);
			}
			else if (c == '\n' || (c == ',' && depth == 0)) {
				if (c == '\n') {
					depth = 0;
				}
				String raw = text.substring(start, i);
				if (!raw.isBlank()) {
					int offset = start + (raw.length() - raw.stripLeading().length());
					rules.add(rule(raw.strip(), offset));
				}
				start = i + 1;
			}
		}
		return rules;
	}

	private static ValidationRule rule(String rule, int offset) throws InvalidStepException {
		Matcher matcher = RULE.matcher(rule);
		if (!matcher.matches()) {
			throw cannotParse(rule, offset);
		}
		String field = matcher.group(1);
		String kind = matcher.group(2);
		String rest = matcher.group(3).strip();
		ValidationRule.Kind parsed = switch (kind) {
			case "string" -> ValidationRule.Kind.STRING;
			case "email" -> ValidationRule.Kind.EMAIL;
			case "number" -> ValidationRule.Kind.NUMBER;
			case "boolean", "bool" -> ValidationRule.Kind.BOOLEAN;
			default -> throw new InvalidStepException("validate: unknown rule kind '" + kind + "'",
					offset + matcher.start(2));
		};
		if (rest.isEmpty()) {
			return new ValidationRule(field, parsed, -1, -1);
		}
		Matcher range = RANGE.matcher(rest);
		if (parsed != ValidationRule.Kind.STRING || !range.matches()) {
			throw cannotParse(rule, offset);
		}
		boolean dots = range.group(2) != null;
		String low = range.group(1);
		String high = range.group(3);
		try {
			if (!dots) {
				if (low == null || high != null) {
					throw cannotParse(rule, offset);
				}
				int exact = Integer.parseInt(low);
				return new ValidationRule(field, parsed, exact, exact);
			}
			if (low == null && high == null) {
				throw cannotParse(rule, offset);
			}
			int min = (low != null) ? Integer.parseInt(low) : -1;
			int max = (high != null) ? Integer.parseInt(high) : -1;
			if (min >= 0 && max >= 0 && min > max) {
				throw cannotParse(rule, offset);
			}
			return new ValidationRule(field, parsed, min, max);
		}
		catch (NumberFormatException ex) {
			throw cannotParse(rule, offset);
		}
	}

	private static InvalidStepException cannotParse(String rule, int offset) {
		return new InvalidStepException("validate: cannot parse rule '" + rule + "'", offset);
	}

	/** The config with every {@code #} comment replaced by spaces, so offsets stay. */
	private static String withoutComments(String config) {
		StringBuilder out = new StringBuilder(config);
		boolean comment = false;
		for (int i = 0; i < out.length(); i++) {
			char c = out.charAt(i);
			if (c == '\n') {
				comment = false;
			}
			else if (c == '#') {
				comment = true;
			}
			if (comment) {
				out.setCharAt(i, ' ');
			}
		}
		return out.toString();
	}

}
