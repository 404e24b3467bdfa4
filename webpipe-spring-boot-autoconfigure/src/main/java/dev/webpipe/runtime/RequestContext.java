package dev.webpipe.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.webpipe.middleware.StepContext;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Completion;
import dev.webpipe.instrumentation.ActiveInstrumentation;

/**
 * Everything that belongs to one request besides the JSON state: flags, conditions, the
 * environment, the initial request ({@code $context.request}), middleware metadata and
 * completion callbacks. Never kept in a {@code ThreadLocal}: it travels with the pipeline.
 * <p>
 * The steps of one pipeline run one after the other, so a context is used by one step at a
 * time; an {@code @async} task works on its own {@link #snapshot() snapshot}.
 */
public final class RequestContext implements StepContext {

	private final ObjectNode request;

	private final String route;

	private final @Nullable String env;

	private final Set<String> envNames;

	private final Map<String, Boolean> flags;

	private final Map<String, Boolean> conditions;

	private final Map<String, JsonNode> metadata;

	private final List<Consumer<Completion>> completionCallbacks;

	private final long startNanos;

	private final boolean detachedCopy;

	private final TaskRegistry tasks = new TaskRegistry();

	private @Nullable JsonNode contextJson;

	private boolean unhandledError;

	private @Nullable ActiveInstrumentation instrumentation;

	private @Nullable String task;

	/** The context this one is a task's copy of, or {@code null}. */
	private final @Nullable RequestContext parent;

	private volatile boolean cancelled;

	/** Created when a step first asks for {@link #cancellation()}: most requests never do. */
	private Sinks.@Nullable Empty<Void> cancellation;

	private RequestContext(ObjectNode request, String route, @Nullable String env, Set<String> envNames,
			Map<String, Boolean> flags, Map<String, Boolean> conditions, Map<String, JsonNode> metadata,
			List<Consumer<Completion>> callbacks, long startNanos, boolean detachedCopy,
			@Nullable RequestContext parent) {
		this.parent = parent;
		this.request = request;
		this.route = route;
		this.env = env;
		this.envNames = envNames;
		this.flags = flags;
		this.conditions = conditions;
		this.metadata = metadata;
		this.completionCallbacks = callbacks;
		this.startNanos = startNanos;
		this.detachedCopy = detachedCopy;
	}

	/**
	 * A context for a new request.
	 * @param request the initial state (docs/runtime.md#the-request-state), {@code $context.request}
	 * @param route the route as written, e.g. {@code GET /users/:id}, for log lines
	 * @param env the environment name ({@code webpipe.env}), or {@code null}
	 * @param envNames the names {@code @env} accepts: the environment name and the active profiles
	 */
	public static RequestContext create(ObjectNode request, String route, @Nullable String env, Set<String> envNames) {
		return create(request, route, env, envNames, Map.of());
	}

	/**
	 * A context for a new request whose {@code $context} starts with {@code entries} (such as {@code principal},
	 * docs/flow-control.md#context), which its tasks' copies keep.
	 */
	public static RequestContext create(ObjectNode request, String route, @Nullable String env, Set<String> envNames,
			Map<String, JsonNode> entries) {
		return new RequestContext(request, route, env, Set.copyOf(envNames), new LinkedHashMap<>(),
				new LinkedHashMap<>(), new LinkedHashMap<>(entries), new ArrayList<>(), System.nanoTime(), false,
				null);
	}

	/**
	 * A copy for the {@code @async} task {@code task}: flags, conditions and metadata are copied,
	 * so that changes on either side stay invisible to the other; completion callbacks registered
	 * by the task are dropped. It keeps the run's instrumentation, and is cancelled with this context.
	 */
	RequestContext snapshot(String task) {
		RequestContext copy = new RequestContext(this.request, this.route, this.env, this.envNames,
				new LinkedHashMap<>(this.flags), new LinkedHashMap<>(this.conditions),
				new LinkedHashMap<>(this.metadata), new ArrayList<>(), this.startNanos, true, this);
		copy.instrumentation = this.instrumentation;
		copy.task = task;
		return copy;
	}

	@Override
	public @Nullable String task() {
		return this.task;
	}

	/**
	 * The instrumentation taking part in this request's run (docs/architecture.md#instrumentation), or
	 * {@code null}: then the runtime calls nothing per step.
	 */
	public @Nullable ActiveInstrumentation instrumentation() {
		return this.instrumentation;
	}

	void setInstrumentation(@Nullable ActiveInstrumentation instrumentation) {
		this.instrumentation = instrumentation;
	}

	/** When the request began, on the {@link System#nanoTime()} clock. */
	public long startNanos() {
		return this.startNanos;
	}

	/** The initial request state. Never modified. */
	@Override
	public ObjectNode request() {
		return this.request;
	}

	/** The route as written, e.g. {@code GET /users/:id}. */
	@Override
	public String route() {
		return this.route;
	}

	/** The environment name, or {@code null}. */
	@Override
	public @Nullable String env() {
		return this.env;
	}

	/** Whether {@code @env(name)} holds: the environment name or an active profile. */
	public boolean envMatches(String name) {
		return this.envNames.contains(name);
	}

	@Override
	public boolean flag(String name) {
		return Boolean.TRUE.equals(this.flags.get(name));
	}

	@Override
	public void setFlag(String name, boolean value) {
		this.flags.put(name, value);
		this.contextJson = null;
	}

	@Override
	public Map<String, Boolean> flags() {
		return Collections.unmodifiableMap(this.flags);
	}

	@Override
	public boolean condition(String name) {
		return Boolean.TRUE.equals(this.conditions.get(name));
	}

	@Override
	public void setCondition(String name, boolean value) {
		this.conditions.put(name, value);
		this.contextJson = null;
	}

	@Override
	public Map<String, Boolean> conditions() {
		return Collections.unmodifiableMap(this.conditions);
	}

	/** Sets {@code $context.<key>} (e.g. {@code log}, {@code cache}, {@code rate_limit}). */
	@Override
	public void putMetadata(String key, JsonNode value) {
		this.metadata.put(key, value);
		this.contextJson = null;
	}

	/** Registers a callback for when the response is complete (ignored inside tasks). */
	@Override
	public void onComplete(Consumer<Completion> callback) {
		if (!this.detachedCopy) {
			this.completionCallbacks.add(callback);
		}
	}

	/** Runs the completion callbacks; a failing callback does not stop the others. */
	public void complete(int status, JsonNode body) {
		Completion completion = new Completion(status, body, Duration.ofNanos(System.nanoTime() - this.startNanos));
		for (Consumer<Completion> callback : this.completionCallbacks) {
			try {
				callback.accept(completion);
			}
			catch (RuntimeException ex) {
				org.slf4j.LoggerFactory.getLogger(RequestContext.class)
					.warn("Completion callback failed for {}: {}", this.route, Errors.plainMessage(ex));
			}
		}
	}

	/** Whether the request has an error that no {@code result} branch handled (docs/runtime.md#unhandled-errors). */
	public boolean unhandledError() {
		return this.unhandledError;
	}

	void setUnhandledError(boolean unhandled) {
		this.unhandledError = unhandled;
	}

	@Override
	public boolean isCancelled() {
		return this.cancelled || (this.parent != null && this.parent.isCancelled());
	}

	@Override
	public Mono<Void> cancellation() {
		Sinks.Empty<Void> sink;
		synchronized (this) {
			sink = this.cancellation;
			if (sink == null) {
				sink = Sinks.empty();
				this.cancellation = sink;
				if (this.cancelled) {
					sink.tryEmitEmpty();
				}
			}
		}
		Mono<Void> own = sink.asMono();
		return (this.parent != null) ? Mono.firstWithSignal(own, this.parent.cancellation()) : own;
	}

	/** Marks this context cancelled (docs/architecture.md#the-step-context) and signals {@link #cancellation()}. */
	public void cancel() {
		if (this.cancelled) {
			return;
		}
		Sinks.Empty<Void> sink;
		synchronized (this) {
			this.cancelled = true;
			sink = this.cancellation;
		}
		if (sink != null) {
			sink.tryEmitEmpty();
		}
	}

	/** Whether this is a task's copy. */
	boolean isSnapshot() {
		return this.detachedCopy;
	}

	/** The tasks started and not yet joined. A snapshot starts with an empty (child) registry. */
	TaskRegistry tasks() {
		return this.tasks;
	}

	/** {@code $context} (docs/flow-control.md#context), built once and reused while nothing changes. */
	@Override
	public JsonNode contextJson() {
		JsonNode json = this.contextJson;
		if (json == null) {
			ObjectNode node = Json.NODES.objectNode();
			ObjectNode flagsNode = node.putObject("flags");
			this.flags.forEach(flagsNode::put);
			ObjectNode conditionsNode = node.putObject("conditions");
			this.conditions.forEach(conditionsNode::put);
			node.set("request", this.request);
			if (this.env != null) {
				node.put("env", this.env);
			}
			this.metadata.forEach(node::set);
			this.contextJson = node;
			json = node;
		}
		return json;
	}

}
