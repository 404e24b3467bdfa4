package dev.webpipe.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.webpipe.instrumentation.InstrumentationContext;
import dev.webpipe.instrumentation.InstrumentationState;
import dev.webpipe.instrumentation.RunParameters;
import dev.webpipe.instrumentation.StepParameters;
import dev.webpipe.instrumentation.TaskParameters;
import dev.webpipe.instrumentation.WebPipeInstrumentation;

/**
 * The {@code Server-Timing} header ({@code webpipe.server-timing}, docs/configuration.md): one entry per step and
 * per joined task, {@code name;dur=<ms>;start=<ms from the request's start>;desc="<middleware> <file>:<line>"},
 * named {@code <middleware>.<line>} for a step and by its name for a task, names made unique within a response
 * by a suffix ({@code jq.12.2}) so that a client can draw a waterfall.
 */
public final class ServerTimingInstrumentation implements WebPipeInstrumentation {

	@Override
	public InstrumentationState createState(RunParameters parameters) {
		return new Timings(parameters.requestStartNanos());
	}

	@Override
	public InstrumentationContext beginStep(StepParameters parameters, @Nullable InstrumentationState state) {
		Timings timings = (Timings) Objects.requireNonNull(state);
		String name = parameters.middleware() + "." + parameters.location().span().line();
		String description = parameters.middleware() + " " + parameters.location().file() + ":"
				+ parameters.location().span().line();
		return (outcome) -> timings.add(name, description, outcome.startNanos(), outcome.endNanos());
	}

	@Override
	public InstrumentationContext beginTask(TaskParameters parameters, @Nullable InstrumentationState state) {
		Timings timings = (Timings) Objects.requireNonNull(state);
		String description = "@async " + parameters.location().file() + ":" + parameters.location().span().line();
		return (outcome) -> {
			if (!outcome.detached()) {
				timings.add(parameters.task(), description, outcome.startNanos(), outcome.endNanos());
			}
		};
	}

	/** The header of a run, or {@code null} when it has no entry. */
	static @Nullable String header(@Nullable InstrumentationState state) {
		return (state instanceof Timings timings) ? timings.header() : null;
	}

	/** The entries of one run; tasks add theirs concurrently. */
	static final class Timings implements InstrumentationState {

		private final long requestStart;

		private final List<Entry> entries = new ArrayList<>();

		Timings(long requestStart) {
			this.requestStart = requestStart;
		}

		synchronized void add(String name, String description, long start, long end) {
			this.entries.add(new Entry(name, description, start, end));
		}

		synchronized @Nullable String header() {
			if (this.entries.isEmpty()) {
				return null;
			}
			List<Entry> sorted = new ArrayList<>(this.entries);
			sorted.sort(Comparator.comparingLong(Entry::start));
			Map<String, Integer> seen = new HashMap<>();
			StringBuilder header = new StringBuilder();
			for (Entry entry : sorted) {
				int count = seen.merge(entry.name(), 1, Integer::sum);
				if (header.length() > 0) {
					header.append(", ");
				}
				header.append(token(entry.name()));
				if (count > 1) {
					header.append('.').append(count);
				}
				header.append(";dur=").append(millis(entry.end() - entry.start()))
					.append(";start=").append(millis(entry.start() - this.requestStart))
					.append(";desc=\"").append(quoted(entry.description())).append('"');
			}
			return header.toString();
		}

		private static String millis(long nanos) {
			return String.format(Locale.ROOT, "%.1f", Math.max(0, nanos) / 1_000_000.0);
		}

		/** A task name or a middleware name is a word; anything else a header token cannot hold becomes {@code _}. */
		private static String token(String name) {
			StringBuilder token = new StringBuilder(name.length());
			for (int i = 0; i < name.length(); i++) {
				char c = name.charAt(i);
				token.append((c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0) ? c : '_');
			}
			return token.toString();
		}

		private static String quoted(String text) {
			StringBuilder out = new StringBuilder(text.length());
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (c == '"' || c == '\\') {
					out.append('\\');
				}
				out.append((c >= 0x20 && c < 0x7f) ? c : '_');
			}
			return out.toString();
		}

	}

	private record Entry(String name, String description, long start, long end) {
	}

}
