package dev.webpipe.testing;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;

/**
 * Middleware for tests of the runtime, standing in for the data middleware (fetch, pg, graphql):
 * <ul>
 * <li>{@code delay}: answers after the configured number of milliseconds with the result value
 * {@code {"delayed": ms, "arg": <argument 0>}} (Merge, places a result, like fetch);</li>
 * <li>{@code rows}: the config (JSON) as a result value (Transform, places a result, like pg);</li>
 * <li>{@code fail}: a domain error of the configured type (e.g. {@code networkError});</li>
 * <li>{@code boom}: throws an exception, which the runtime turns into {@code boomError};</li>
 * <li>{@code when}: sets the conditions of the config, {@code "a=true, b=false"};</li>
 * <li>{@code mutate}: sets {@code .mark} to the config <em>in place</em> on its input, as a careless
 * application middleware might (Transform);</li>
 * <li>{@code reactorContext}: the value of the Reactor context key named by the config;</li>
 * <li>{@code html}: the config as a string (Render, like handlebars: the content type becomes
 * {@code text/html}).</li>
 * </ul>
 * {@link #CANCELLED} counts the {@code delay} executions that were cancelled before they ended.
 */
public final class TestMiddleware {

	private TestMiddleware() {
	}

	/** How many {@code delay} executions were cancelled before they ended. */
	public static final java.util.concurrent.atomic.AtomicInteger CANCELLED = new java.util.concurrent.atomic.AtomicInteger();

	public static List<Middleware> all() {
		return List.of(new Delay(), new Rows(), new Fail(), new Boom(), new When(), new Mutate(), new ReactorContext(),
				new Html());
	}

	static final class Delay implements Middleware {

		@Override
		public String name() {
			return "delay";
		}

		@Override
		public Behavior behavior() {
			return Behavior.MERGE;
		}

		@Override
		public boolean placesResult() {
			return true;
		}

		@Override
		public int maxInlineArguments() {
			return 1;
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
			long millis;
			try {
				millis = Long.parseLong(definition.config().trim());
			}
			catch (NumberFormatException ex) {
				throw new InvalidStepException("delay: the config must be a number of milliseconds");
			}
			return (input) -> {
				ObjectNode value = Json.NODES.objectNode();
				value.put("delayed", millis);
				JsonNode arg = input.argument(0);
				if (arg != null) {
					value.set("arg", arg);
				}
				return Mono.delay(Duration.ofMillis(millis)).thenReturn(StepResult.of(value))
					.doOnCancel(CANCELLED::incrementAndGet);
			};
		}

	}

	static final class Rows implements Middleware {

		@Override
		public String name() {
			return "rows";
		}

		@Override
		public boolean placesResult() {
			return true;
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
			JsonNode value;
			try {
				value = Json.parse(definition.config());
			}
			catch (RuntimeException ex) {
				throw new InvalidStepException("rows: the config must be JSON");
			}
			return (input) -> Mono.just(StepResult.of(value));
		}

	}

	static final class Fail implements Middleware {

		@Override
		public String name() {
			return "fail";
		}

		@Override
		public Behavior behavior() {
			return Behavior.MERGE;
		}

		@Override
		public boolean placesResult() {
			return true;
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) {
			String type = definition.config().trim();
			return (input) -> {
				ObjectNode error = Errors.error(type, type + " from the test middleware");
				return Mono.just(StepResult.failure(error));
			};
		}

	}

	static final class Boom implements Middleware {

		@Override
		public String name() {
			return "boom";
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) {
			return (input) -> Mono.error(new IllegalStateException("the test middleware failed"));
		}

	}

	static final class When implements Middleware {

		@Override
		public String name() {
			return "when";
		}

		@Override
		public Behavior behavior() {
			return Behavior.READ_ONLY;
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) {
			String[] pairs = definition.config().split(",");
			return (input) -> {
				for (String pair : pairs) {
					String[] parts = pair.trim().split("=");
					if (parts.length == 2) {
						input.context().setCondition(parts[0].trim(), Boolean.parseBoolean(parts[1].trim()));
					}
				}
				return Mono.just(StepResult.of(input.state()));
			};
		}

	}

	static final class Mutate implements Middleware {

		@Override
		public String name() {
			return "mutate";
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) {
			String mark = definition.config().trim();
			return (input) -> {
				if (input.state() instanceof ObjectNode object) {
					object.put("mark", mark);
				}
				return Mono.just(StepResult.of(input.state()));
			};
		}

	}

	static final class ReactorContext implements Middleware {

		@Override
		public String name() {
			return "reactorContext";
		}

		@Override
		public Behavior behavior() {
			return Behavior.MERGE;
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) {
			String key = definition.config().trim();
			return (input) -> Mono.deferContextual((context) -> {
				ObjectNode value = Json.NODES.objectNode();
				value.put("reactorContext", context.getOrDefault(key, "missing"));
				return Mono.just(StepResult.of(value));
			});
		}

	}

	static final class Html implements Middleware {

		@Override
		public String name() {
			return "html";
		}

		@Override
		public Behavior behavior() {
			return Behavior.RENDER;
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) {
			JsonNode page = Json.NODES.textNode(definition.config());
			return (input) -> Mono.just(StepResult.of(page));
		}

	}

}
