package dev.webpipe.language;

import java.util.List;
import java.util.Optional;

/** A step of a pipeline (docs/language.md#steps). The span starts at the step's {@code |>}. */
public sealed interface Step extends Node {

	/**
	 * {@code |> name(args): config @tags}. {@code args} and {@code config} are empty when not
	 * written; {@code tags} are the space-separated groups, combined with AND.
	 */
	record Regular(Name name, Optional<InlineArgs> args, Optional<StepConfig> config, List<TagExpr> tags,
			Span span) implements Step {

		public Regular {
			tags = List.copyOf(tags);
		}

	}

	/** {@code |> result} with its branches {@code name(status):}. */
	record Result(List<Branch> branches, Span span) implements Step {

		public Result {
			branches = List.copyOf(branches);
		}

	}

	/** One branch of a result block: {@code ok(200):}, {@code default(500):}, {@code sqlError(503):}. */
	record Branch(Name type, int status, Pipeline body, Span span) implements Node {
	}

	/** {@code |> if <condition> then: … [else: …] [end]}. */
	record If(Pipeline condition, Pipeline then, Optional<Pipeline> otherwise, boolean closed, Span span)
			implements Step {
	}

	/** {@code |> dispatch case <tags>: … [default: …] [end]}. */
	record Dispatch(List<Case> cases, Optional<Pipeline> otherwise, boolean closed, Span span) implements Step {

		public Dispatch {
			cases = List.copyOf(cases);
		}

	}

	/** One {@code case <tag expression>:} of a dispatch. */
	record Case(TagExpr condition, Pipeline body, Span span) implements Node {
	}

	/** {@code |> foreach <selector> … end}. */
	record Foreach(Selector selector, Pipeline body, Span span) implements Step {
	}

	/** The trimmed selector of a foreach, e.g. {@code data.rows}. */
	record Selector(String text, Span span) implements Node {
	}

}
