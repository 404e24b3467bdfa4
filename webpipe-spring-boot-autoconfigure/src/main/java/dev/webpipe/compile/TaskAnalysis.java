package dev.webpipe.compile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.webpipe.language.Pipeline;
import dev.webpipe.language.SourceFile;
import dev.webpipe.language.Span;
import dev.webpipe.language.Step;
import dev.webpipe.language.Suggestions;
import dev.webpipe.language.TagExpr;
import dev.webpipe.language.TopItem;
import dev.webpipe.runtime.PipelineExecutor;

/**
 * The static checks of docs/concurrency.md#load-time-checks: every join names a task started
 * before it in the same root (looking through synchronously called pipelines and branches), a
 * task is not started again while it may be running, and a task started in a foreach body is
 * joined in it. Also classifies each {@code @async} step as joinable (a join of its root may
 * wait for it) or detached by construction.
 */
final class TaskAnalysis {

	/** Reports a diagnostic: file, position, message. */
	interface Reporter {

		void error(SourceFile file, Span span, String message);

	}

	private final Map<String, TopItem.NamedPipeline> pipelines;

	private final Map<TopItem.NamedPipeline, SourceFile> sources;

	private final Function<Step.Regular, String> callTarget;

	private final Reporter reporter;

	private final Set<String> reported = new LinkedHashSet<>();

	private final Set<Step.Regular> joinable = Collections.newSetFromMap(new IdentityHashMap<>());

	private final Map<Step.Regular, SourceFile> stepFiles = new IdentityHashMap<>();

	/**
	 * @param pipelines the named pipelines
	 * @param sources the file of each named pipeline
	 * @param callTarget the pipeline a step calls synchronously or asynchronously, or {@code null}
	 * @param reporter where errors go
	 */
	TaskAnalysis(Map<String, TopItem.NamedPipeline> pipelines, Map<TopItem.NamedPipeline, SourceFile> sources,
			Function<Step.Regular, String> callTarget, Reporter reporter) {
		this.pipelines = pipelines;
		this.sources = sources;
		this.callTarget = callTarget;
		this.reporter = reporter;
	}

	/** Analyses one root (a route body or a named pipeline). */
	void analyseRoot(Pipeline body, SourceFile file, String rootName) {
		List<String> stack = new ArrayList<>();
		stack.add(rootName);
		walk(body, new State(), file, stack);
	}

	/** Whether a join of some root may wait for the task this step starts. */
	boolean isJoinable(Step.Regular step) {
		return this.joinable.contains(step);
	}

	private State walk(Pipeline pipeline, State start, SourceFile file, List<String> stack) {
		State state = start;
		for (Step step : pipeline.steps()) {
			state = walk(step, state, file, stack);
		}
		return state;
	}

	private State walk(Step step, State state, SourceFile file, List<String> stack) {
		if (step instanceof Step.Regular regular) {
			return walkRegular(regular, state, file, stack);
		}
		if (step instanceof Step.Result result) {
			State merged = state;
			for (Step.Branch branch : result.branches()) {
				merged = merged.merge(walk(branch.body(), state.copy(), file, stack));
			}
			return merged;
		}
		if (step instanceof Step.If block) {
			State afterCondition = walk(block.condition(), state.copy(), file, stack);
			State then = walk(block.then(), afterCondition.copy(), file, stack);
			State otherwise = block.otherwise().map((p) -> walk(p, afterCondition.copy(), file, stack))
				.orElse(afterCondition);
			return then.merge(otherwise);
		}
		if (step instanceof Step.Dispatch dispatch) {
			State merged = dispatch.otherwise().map((p) -> walk(p, state.copy(), file, stack)).orElse(state);
			for (Step.Case branch : dispatch.cases()) {
				merged = merged.merge(walk(branch.body(), state.copy(), file, stack));
			}
			return merged;
		}
		Step.Foreach foreach = (Step.Foreach) step;
		State body = walk(foreach.body(), state.copy(), file, stack);
		body.started.forEach((name, steps) -> {
			Set<Step.Regular> before = state.started.getOrDefault(name, Set.of());
			for (Step.Regular started : steps) {
				if (!before.contains(started)) {
					report(this.stepFiles.getOrDefault(started, file), asyncSpan(started), "task '" + name
							+ "' is started inside foreach and must be joined inside the same foreach body");
				}
			}
		});
		return state.merge(body);
	}

	private State walkRegular(Step.Regular step, State state, SourceFile file, List<String> stack) {
		String name = step.name().text();
		if (name.equals("join") && step.config().isPresent()) {
			JoinList.Parsed list = JoinList.parse(step.config().get());
			State next = state.copy();
			for (JoinList.Item item : list.items()) {
				if (!next.declared.contains(item.name())) {
					report(file, item.span(), Suggestions.withSuggestion("join: no @async step named '" + item.name()
							+ "' runs before this join in this pipeline", item.name(), next.declared));
					continue;
				}
				Set<Step.Regular> steps = next.started.remove(item.name());
				if (steps != null) {
					this.joinable.addAll(steps);
				}
			}
			return next;
		}
		String task = asyncTask(step);
		String target = this.callTarget.apply(step);
		if (task != null) {
			State next = state.copy();
			Set<Step.Regular> running = next.started.get(task);
			if (running != null && !running.isEmpty()) {
				Step.Regular first = running.iterator().next();
				SourceFile firstFile = this.stepFiles.getOrDefault(first, file);
				report(file, asyncSpan(step), "task '" + task + "' may already be running (started at "
						+ firstFile.name() + ":" + first.span().line() + ") — join it before starting it again");
			}
			Set<Step.Regular> steps = Collections.newSetFromMap(new IdentityHashMap<>());
			steps.add(step);
			next.started.put(task, steps);
			next.declared.add(task);
			this.stepFiles.put(step, file);
			return next;
		}
		// a chain of calls deeper than the executor runs is not followed (docs/language.md#nesting)
		if (target != null && !stack.contains(target) && stack.size() <= PipelineExecutor.MAX_DEPTH) {
			TopItem.NamedPipeline callee = this.pipelines.get(target);
			if (callee != null) {
				List<String> deeper = new ArrayList<>(stack);
				deeper.add(target);
				return walk(callee.body(), state, Objects.requireNonNull(this.sources.get(callee), target), deeper);
			}
		}
		return state;
	}

	private void report(SourceFile file, Span span, String message) {
		if (this.reported.add(file.name() + ":" + span.line() + ":" + span.column() + message)) {
			this.reporter.error(file, span, message);
		}
	}

	static @Nullable String asyncTask(Step.Regular step) {
		TagExpr.Tag tag = asyncTag(step);
		return (tag != null && !tag.args().isEmpty()) ? tag.args().get(0).text() : null;
	}

	static Span asyncSpan(Step.Regular step) {
		TagExpr.Tag tag = asyncTag(step);
		return (tag != null) ? tag.span() : step.span();
	}

	private static TagExpr.@Nullable Tag asyncTag(Step.Regular step) {
		for (TagExpr group : step.tags()) {
			if (group instanceof TagExpr.Tag tag && tag.name().text().equals("async")) {
				return tag;
			}
		}
		return null;
	}

	/** The abstract state of the walk: tasks that may be running, and names declared so far. */
	private static final class State {

		final Map<String, Set<Step.Regular>> started = new LinkedHashMap<>();

		final Set<String> declared = new LinkedHashSet<>();

		State copy() {
			State copy = new State();
			this.started.forEach((name, steps) -> {
				Set<Step.Regular> set = Collections.newSetFromMap(new IdentityHashMap<>());
				set.addAll(steps);
				copy.started.put(name, set);
			});
			copy.declared.addAll(this.declared);
			return copy;
		}

		State merge(State other) {
			State merged = copy();
			other.started.forEach((name, steps) -> merged.started
				.computeIfAbsent(name, (key) -> Collections.newSetFromMap(new IdentityHashMap<>()))
				.addAll(steps));
			merged.declared.addAll(other.declared);
			return merged;
		}

	}


}
