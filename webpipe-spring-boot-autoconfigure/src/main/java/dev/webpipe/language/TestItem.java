package dev.webpipe.language;

import java.util.List;
import java.util.Optional;

/** The pieces of the {@code describe}/{@code it} test language (docs/testing.md#the-language). */
public sealed interface TestItem extends Node {

	/** {@code let name = value}. */
	record Let(Name name, Value value, Span span) implements TestItem {
	}

	/** {@code with mock <target> returning `jq`} (or {@code and mock}). */
	record Mock(MockTarget target, StringLit returning, Span span) implements TestItem {
	}

	/** {@code it "name"} with its setup, its when clause, its inputs and its assertions. */
	record It(StringLit name, List<TestItem> setup, When when, List<TestItem> inputs, List<Assertion> assertions,
			Span span) implements TestItem {

		public It {
			setup = List.copyOf(setup);
			inputs = List.copyOf(inputs);
			assertions = List.copyOf(assertions);
		}

	}

	/** {@code with input|body|headers|cookies `…`} (with or without a leading {@code and}). */
	record With(WithKind kind, StringLit value, Span span) implements TestItem {
	}

	enum WithKind {

		INPUT, BODY, HEADERS, COOKIES

	}

	/**
	 * The target of a mock: a middleware ({@code pg}), a middleware with a name
	 * ({@code pg.orderById}), or {@code pipeline}/{@code query}/{@code mutation} with a name.
	 */
	record MockTarget(Name kind, Optional<Name> name, Span span) implements Node {
	}

	/** The {@code when} clause of a test. */
	sealed interface When extends Node {

		/** {@code when calling GET /path?query}; the target may hold {@code {{var}}}. */
		record Calling(Name method, String target, Span span) implements When {
		}

		/** {@code when executing pipeline name}. */
		record ExecutingPipeline(Name pipeline, Span span) implements When {
		}

		/** {@code when executing variable <type> <name>}. */
		record ExecutingVariable(Name type, Name name, Span span) implements When {
		}

	}

	/**
	 * A value in a let binding or an assertion: a backtick string, a quoted string, a
	 * {@code $variable}, or the rest of the line (raw).
	 */
	record Value(ValueKind kind, String text, Span span) implements Node {
	}

	enum ValueKind {

		BACKTICK, QUOTED, VARIABLE, RAW

	}

	/** {@code then …} or {@code and …}. */
	sealed interface Assertion extends Node {

		/** {@code status is N}, {@code status equals N} or {@code status in A..B} (from == to for exact). */
		record Status(int from, int to, boolean range, Span span) implements Assertion {
		}

		/** {@code contentType is "type"}. */
		record ContentType(String type, Span span) implements Assertion {
		}

		/** {@code output [`jq`] equals|contains|matches value}. */
		record Output(Optional<StringLit> jq, Op op, Value value, Span span) implements Assertion {
		}

		/** {@code header "name" equals|contains|matches value}. */
		record Header(StringLit name, Op op, Value value, Span span) implements Assertion {
		}

		/**
		 * {@code selector `css` …}: {@code check} is the words after the selector
		 * ({@code exists}, {@code does not exist}, {@code text contains}, {@code count is greater than},
		 * {@code attribute}), {@code attribute} the attribute name for attribute checks,
		 * {@code operator} the comparison ({@code equals}, {@code does not contain}, …),
		 * {@code value} the expected value where the check has one.
		 */
		record Selector(StringLit selector, SelectorCheck check, Optional<StringLit> attribute,
				Optional<String> operator, Optional<Value> value, Span span) implements Assertion {
		}

		/** {@code call query|mutation|pipeline NAME with value}. */
		record Call(Name kind, Name name, Value value, Span span) implements Assertion {
		}

		enum Op {

			EQUALS, CONTAINS, MATCHES

		}

		enum SelectorCheck {

			EXISTS, NOT_EXISTS, TEXT, COUNT, ATTRIBUTE

		}

	}

}
