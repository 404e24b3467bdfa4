package dev.webpipe.test;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.jspecify.annotations.Nullable;
import org.springframework.lang.Contract;

import dev.webpipe.runtime.jq.JqRuntimeException;

/** One assertion of a test (docs/testing.md#assertions), ready to evaluate. */
sealed interface Check {

	/** The line of the assertion. */
	int line();

	/** The assertion as written. */
	String text();

	/** The failure, or {@code null} when the assertion holds. */
	@Nullable Failure check(Outcome outcome, Mocks mocks);

	/** The pattern of a {@code matches} assertion: the loader sets it for every one. */
	static Pattern regex(@Nullable Pattern pattern) {
		return Objects.requireNonNull(pattern, "a matches assertion has its pattern");
	}

	default Failure fail(String message) {
		return new Failure(line(), text(), message, null, null);
	}

	default Failure fail(String message, @Nullable String expected, @Nullable String actual) {
		return new Failure(line(), text(), message, expected, actual);
	}

	/** How a string is compared: {@code equals}/{@code is}, {@code contains}, {@code matches}. */
	enum Comparison {

		EQUALS("equal"), CONTAINS("contain"), MATCHES("match");

		final String verb;

		Comparison(String verb) {
			this.verb = verb;
		}

		static Comparison of(String word) {
			if (word.endsWith("contains") || word.endsWith("contain")) {
				return CONTAINS;
			}
			if (word.endsWith("matches") || word.endsWith("match")) {
				return MATCHES;
			}
			return EQUALS;
		}

		boolean test(String actual, @Nullable String expected, @Nullable Pattern pattern) {
			return switch (this) {
				case EQUALS -> actual.equals(expected);
				case CONTAINS -> actual.contains(expected);
				case MATCHES -> Objects.requireNonNull(pattern).matcher(actual).find();
			};
		}

	}

	/** {@code status is N} or {@code status in A..B}. */
	record Status(int line, String text, int from, int to, boolean range) implements Check {

		@Override
		public @Nullable Failure check(Outcome outcome, Mocks mocks) {
			int actual = outcome.status();
			if (actual >= this.from && actual <= this.to) {
				return null;
			}
			String expected = this.range ? this.from + ".." + this.to : String.valueOf(this.from);
			return fail("expected status " + (this.range ? "in " : "") + expected + " but was " + actual, expected,
					String.valueOf(actual));
		}

	}

	/** {@code contentType is "t"}: media types compared case-insensitively, parameters ignored. */
	record ContentType(int line, String text, String expected) implements Check {

		@Override
		public @Nullable Failure check(Outcome outcome, Mocks mocks) {
			String actual = outcome.contentType();
			if (this.expected.equals(actual)) {
				return null;
			}
			return fail("expected content type \"" + this.expected + "\" but was "
					+ ((actual != null) ? "\"" + actual + "\"" : "none"), this.expected, String.valueOf(actual));
		}

		@Contract("null -> null; !null -> !null")
		static @Nullable String normalize(@Nullable String mediaType) {
			if (mediaType == null) {
				return null;
			}
			int semicolon = mediaType.indexOf(';');
			String type = (semicolon >= 0) ? mediaType.substring(0, semicolon) : mediaType;
			return type.trim().toLowerCase(Locale.ROOT);
		}

	}

	/** {@code output [`jq`] equals|contains|matches V}. */
	record Output(int line, String text, @Nullable TestJq jq, Comparison comparison, JsonNode expected,
			@Nullable Pattern pattern)
			implements Check {

		@Override
		public @Nullable Failure check(Outcome outcome, Mocks mocks) {
			JsonNode actual = outcome.output();
			String subject = "output";
			if (this.jq != null) {
				subject = "output `" + this.jq.source() + "`";
				try {
					actual = this.jq.apply(actual);
				}
				catch (JqRuntimeException ex) {
					return fail("jq `" + this.jq.source() + "` failed on the output: " + ex.getMessage());
				}
			}
			boolean holds = switch (this.comparison) {
				case EQUALS -> JsonMatch.equal(actual, this.expected);
				case CONTAINS -> JsonMatch.contains(actual, this.expected);
				case MATCHES -> regex(this.pattern).matcher(JsonMatch.text(actual)).find();
			};
			if (holds) {
				return null;
			}
			if (this.comparison == Comparison.MATCHES) {
				return fail(subject + " does not match /" + regex(this.pattern).pattern() + "/: "
						+ JsonMatch.show(actual),
						regex(this.pattern).pattern(), JsonMatch.text(actual));
			}
			return fail(subject + " does not " + this.comparison.verb + " " + JsonMatch.show(this.expected)
					+ "; it is " + JsonMatch.show(actual), JsonMatch.pretty(this.expected), JsonMatch.pretty(actual));
		}

	}

	/** {@code header "H" equals|contains|matches V}. */
	record Header(int line, String text, String name, Comparison comparison, String expected,
			@Nullable Pattern pattern)
			implements Check {

		@Override
		public @Nullable Failure check(Outcome outcome, Mocks mocks) {
			String actual = outcome.headers().apply(this.name);
			if (actual == null) {
				return fail("header \"" + this.name + "\" is missing", this.expected, null);
			}
			if (this.comparison.test(actual, this.expected, this.pattern)) {
				return null;
			}
			String wanted = (this.comparison == Comparison.MATCHES) ? "/" + regex(this.pattern).pattern() + "/"
					: "\"" + this.expected + "\"";
			return fail("header \"" + this.name + "\" is \"" + actual + "\", which does not " + this.comparison.verb
					+ " " + wanted, this.expected, actual);
		}

	}

	/** {@code selector `css` …} on HTML output. */
	record Selector(int line, String text, String css, String kind, String operator, @Nullable String attribute,
			@Nullable String expected, @Nullable Pattern pattern, int count) implements Check {

		@Override
		public @Nullable Failure check(Outcome outcome, Mocks mocks) {
			JsonNode output = outcome.output();
			if (output == null || !output.isTextual()) {
				return fail("selector `" + this.css + "` needs HTML output (a string), but the output is "
						+ JsonMatch.show(output));
			}
			Elements found = Jsoup.parse(output.textValue()).select(this.css);
			switch (this.kind) {
				case "exists":
					return found.isEmpty() ? fail("no element matches `" + this.css + "`") : null;
				case "does not exist":
					return found.isEmpty() ? null
							: fail(found.size() + " element" + ((found.size() == 1) ? "" : "s") + " match `"
									+ this.css + "`, expected none: " + found.get(0).outerHtml());
				case "count":
					return checkCount(found.size());
				case "text":
					if (found.isEmpty()) {
						return fail("no element matches `" + this.css + "`");
					}
					return compare("text of `" + this.css + "`", found.get(0).text(), this.operator);
				default:
					if (found.isEmpty()) {
						return fail("no element matches `" + this.css + "`");
					}
					Element first = found.get(0);
					// the loader sets the attribute of every attribute assertion
					String attribute = Objects.requireNonNull(this.attribute);
					if (!first.hasAttr(attribute)) {
						return fail("the first `" + this.css + "` has no attribute \"" + attribute + "\": "
								+ first.outerHtml());
					}
					return compare("attribute \"" + attribute + "\" of `" + this.css + "`", first.attr(attribute),
							this.operator);
			}
		}

		private @Nullable Failure checkCount(int actual) {
			boolean holds;
			String wanted;
			if (this.operator.endsWith("greater than")) {
				holds = actual > this.count;
				wanted = "more than " + this.count;
			}
			else if (this.operator.endsWith("less than")) {
				holds = actual < this.count;
				wanted = "fewer than " + this.count;
			}
			else {
				holds = actual == this.count;
				wanted = String.valueOf(this.count);
			}
			return holds ? null : fail("`" + this.css + "` matches " + actual + " element" + ((actual == 1) ? "" : "s")
					+ ", expected " + wanted, wanted, String.valueOf(actual));
		}

		private @Nullable Failure compare(String subject, String actual, String operator) {
			boolean negated = operator.startsWith("does not");
			Comparison comparison = Comparison.of(operator);
			boolean holds = comparison.test(actual, this.expected, this.pattern) != negated;
			if (holds) {
				return null;
			}
			String wanted = (comparison == Comparison.MATCHES) ? "/" + regex(this.pattern).pattern() + "/"
					: "\"" + this.expected + "\"";
			return fail(subject + " is \"" + actual + "\", which " + (negated ? "does " : "does not ")
					+ comparison.verb + " " + wanted, negated ? null : this.expected, negated ? null : actual);
		}

	}

	/** {@code call query|mutation|pipeline NAME with V}: some logged call contains V. */
	record Call(int line, String text, String target, @Nullable JsonNode expected, @Nullable TestJq jq,
			JsonNode variables)
			implements Check {

		@Override
		public @Nullable Failure check(Outcome outcome, Mocks mocks) {
			JsonNode wanted = this.expected;
			if (this.jq != null) {
				try {
					wanted = this.jq.apply(this.variables);
				}
				catch (JqRuntimeException ex) {
					return fail("jq `" + this.jq.source() + "` failed: " + ex.getMessage());
				}
			}
			List<JsonNode> calls = mocks.calls(this.target);
			if (calls.isEmpty()) {
				return fail(this.target.replace('.', ' ') + " was never called");
			}
			for (JsonNode call : calls) {
				if (JsonMatch.contains(call, Objects.requireNonNull(wanted))) {
					return null;
				}
			}
			StringBuilder seen = new StringBuilder();
			for (JsonNode call : calls) {
				seen.append((seen.length() == 0) ? "" : ", ").append(JsonMatch.show(call));
			}
			return fail("no call of " + this.target.replace('.', ' ') + " contains " + JsonMatch.show(wanted)
					+ "; calls: " + seen, JsonMatch.pretty(wanted),
					(calls.size() == 1) ? JsonMatch.pretty(calls.get(0)) : seen.toString());
		}

	}

}
