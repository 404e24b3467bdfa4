package dev.webpipe.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.runtime.jq.JqProgram;
import dev.webpipe.language.SourceLocation;

/** A compiled step of a {@link CompiledPipeline}. */
public sealed interface Stage {

	SourceLocation location();

	/**
	 * The tag condition deciding whether the stage runs: a step's, a call's or a join's own; an
	 * {@code @async} stage's inner step's; {@link Condition#ALWAYS} for blocks.
	 */
	default Condition runsWhen() {
		return Condition.ALWAYS;
	}

	/**
	 * The pipelines nested in this stage, in source order: the branches of a {@code result} block, an {@code if}'s
	 * condition and branches, a {@code dispatch}'s cases and default, a {@code foreach}'s body; none for a step, a
	 * call (its pipeline is named, not nested), an {@code @async} stage or a join.
	 */
	default List<CompiledPipeline> nested() {
		return List.of();
	}

	/**
	 * A middleware step.
	 *
	 * @param middleware the middleware name
	 * @param step the compiled step
	 * @param behavior how the output becomes the next state
	 * @param placesResult whether the output is a result value placed under {@code .data}
	 * @param arguments the compiled inline arguments
	 * @param condition the step's tag expression
	 * @param resultName the {@code @result} name, or {@code null}
	 * @param autoName the referenced variable's name, or {@code null}: names the result of middleware that
	 * place one (auto-naming); for the others only test mocks match it
	 * @param errorRename the {@code @error} name, or {@code null}
	 * @param ignoredByLookahead whether "more steps follow" ignores this step ({@code log}, {@code debug})
	 */
	record Step(String middleware, ExecutableStep step, Behavior behavior, boolean placesResult,
			List<JqProgram> arguments, Condition condition, @Nullable String resultName, @Nullable String autoName,
			@Nullable String errorRename,
			boolean ignoredByLookahead, SourceLocation location) implements Stage {

		@Override
		public Condition runsWhen() {
			return this.condition;
		}

	}

	/**
	 * A call of a named pipeline ({@code |> pipeline: name}, {@code |> name(arg)}).
	 *
	 * @param pipeline the called pipeline's name (resolved at run time: recursion is allowed)
	 * @param argument the compiled inline argument, or {@code null}
	 */
	record Call(String pipeline, @Nullable JqProgram argument, Condition condition, @Nullable String errorRename,
			SourceLocation location) implements Stage {

		@Override
		public Condition runsWhen() {
			return this.condition;
		}

	}

	/**
	 * A step tagged {@code @async(task)}: its condition is tested in the main pipeline, then
	 * {@code inner} runs as a task on a snapshot (docs/concurrency.md#starting-a-task).
	 *
	 * @param task the task name
	 * @param inner the step to run in the task (a {@link Step} or a {@link Call})
	 * @param joinable whether a join of the same root may wait for it (docs/concurrency.md#load-time-checks)
	 */
	record Async(String task, Stage inner, boolean joinable, SourceLocation location) implements Stage {

		@Override
		public Condition runsWhen() {
			return this.inner.runsWhen();
		}

	}

	/**
	 * {@code join}: waits for the listed tasks together and merges their outcomes under
	 * {@code .async} (docs/concurrency.md#join).
	 */
	record Join(List<JoinItem> items, Condition condition, @Nullable String errorRename, SourceLocation location)
			implements Stage {

		public Join {
			items = List.copyOf(items);
		}

		@Override
		public Condition runsWhen() {
			return this.condition;
		}

	}

	/** One name of a join list; {@code optional} for {@code name?}. */
	record JoinItem(String name, boolean optional) {
	}

	/** A {@code result} block: branches by type ({@code ok}, {@code default} or an error type). */
	record Result(Map<String, Branch> branches, SourceLocation location) implements Stage {

		@Override
		public List<CompiledPipeline> nested() {
			return this.branches.values().stream().map(Branch::body).toList();
		}

	}

	/** One branch of a result block. */
	record Branch(String type, int status, CompiledPipeline body) {
	}

	/**
	 * {@code if}: the condition runs on a copy of the state; a truthy final value selects
	 * {@code then}, {@code false}/{@code null} selects {@code otherwise} (docs/flow-control.md#if).
	 *
	 * @param condition the condition pipeline
	 * @param then the then-branch
	 * @param otherwise the else-branch, or {@code null}
	 */
	record If(CompiledPipeline condition, CompiledPipeline then, @Nullable CompiledPipeline otherwise,
			SourceLocation location) implements Stage {

		@Override
		public List<CompiledPipeline> nested() {
			return (this.otherwise != null) ? List.of(this.condition, this.then, this.otherwise)
					: List.of(this.condition, this.then);
		}

	}

	/**
	 * {@code dispatch}: the body of the first case whose tag expression holds, else the
	 * {@code default:} body (docs/flow-control.md#if).
	 *
	 * @param otherwise the {@code default:} body, or {@code null}
	 */
	record Dispatch(List<Case> cases, @Nullable CompiledPipeline otherwise, SourceLocation location) implements Stage {

		public Dispatch {
			cases = List.copyOf(cases);
		}

		@Override
		public List<CompiledPipeline> nested() {
			List<CompiledPipeline> nested = new ArrayList<>();
			this.cases.forEach((c) -> nested.add(c.body()));
			if (this.otherwise != null) {
				nested.add(this.otherwise);
			}
			return nested;
		}

	}

	/** One {@code case <tags>:} of a dispatch. */
	record Case(Condition condition, CompiledPipeline body) {
	}

	/**
	 * {@code foreach <selector>}: each element of the array at the selector runs through the body
	 * and is replaced by its final state (docs/flow-control.md#if).
	 *
	 * @param selector the selector without a leading {@code .}, e.g. {@code data.rows}
	 * @param path the selector's segments: object keys or array indexes
	 */
	record Foreach(String selector, List<String> path, CompiledPipeline body, SourceLocation location)
			implements Stage {

		public Foreach {
			path = List.copyOf(path);
		}

		@Override
		public List<CompiledPipeline> nested() {
			return List.of(this.body);
		}

	}

}
