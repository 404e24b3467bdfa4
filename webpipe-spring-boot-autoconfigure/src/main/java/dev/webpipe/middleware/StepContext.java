package dev.webpipe.middleware;

import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * What a step may see and do of the request it runs in, besides the JSON state: the request's
 * flags and conditions, {@code $context}, completion callbacks and a cancellation signal
 * (docs/architecture.md#the-step-context). The runtime implements it; a middleware never creates
 * one.
 * <p>
 * The steps of one pipeline run one after the other, so a context is used by one step at a time;
 * an {@code @async} task works on a copy whose flags, conditions and metadata start as the
 * request's and stay its own.
 */
public interface StepContext {

	/** The initial request state ({@code $context.request}). Never modified. */
	ObjectNode request();

	/** The route as written, e.g. {@code GET /users/:id}, for log lines. */
	String route();

	/** The environment name ({@code webpipe.env}), or {@code null}. */
	@Nullable String env();

	/** The name of the {@code @async} task this step runs in, or {@code null} outside tasks. */
	@Nullable String task();

	/** Whether the feature flag {@code name} is set and true. */
	boolean flag(String name);

	/** Sets a feature flag ({@code $context.flags.<name>}). */
	void setFlag(String name, boolean value);

	/** The flags set so far, read-only. */
	Map<String, Boolean> flags();

	/** Whether the condition {@code name} ({@code @when}) is set and true. */
	boolean condition(String name);

	/** Sets a condition ({@code $context.conditions.<name>}). */
	void setCondition(String name, boolean value);

	/** The conditions set so far, read-only. */
	Map<String, Boolean> conditions();

	/** {@code $context} as jq and Lua see it (docs/flow-control.md). */
	JsonNode contextJson();

	/** Sets {@code $context.<key>} (e.g. {@code log}, {@code cache}, {@code rate_limit}). */
	void putMetadata(String key, JsonNode value);

	/**
	 * Registers a callback for when the response is complete (with its status, body and
	 * duration). Ignored inside {@code @async} tasks, whose work may outlive the response.
	 */
	void onComplete(Consumer<Completion> callback);

	/**
	 * Whether the work this step belongs to was cancelled: the client went away, or the
	 * {@code @async} task it runs in timed out or was cancelled. A step that works for long
	 * (off the event loop) checks it to stop early.
	 */
	boolean isCancelled();

	/** Completes (empty) when the work this step belongs to is {@linkplain #isCancelled() cancelled}. */
	Mono<Void> cancellation();

}
