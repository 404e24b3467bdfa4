package dev.webpipe.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code webpipe.step} observation knows of one step (docs/operations.md#metrics-and-traces): the route as
 * written, the middleware, the step's {@code file:line}, the task it runs in and, once it ended, its outcome.
 */
public class StepObservationContext extends Observation.Context {

	private final String route;

	private final String middleware;

	private final String location;

	private final @Nullable String task;

	/** The outcome of a step that ended without a typed error. */
	static final String SUCCESS = "success";

	private String outcome = SUCCESS;

	/** Made once per step by the instrumentation, for the default convention; {@code null} otherwise. */
	private final @Nullable StepKeys keys;

	/**
	 * @param route the route as written ({@code GET /users/:id})
	 * @param middleware the middleware name
	 * @param location the step's {@code file:line}
	 * @param task the {@code @async} task the step runs in, or {@code null}
	 */
	public StepObservationContext(String route, String middleware, String location, @Nullable String task) {
		this(route, middleware, location, task, null);
	}

	StepObservationContext(String route, String middleware, String location, @Nullable String task,
			@Nullable StepKeys keys) {
		this.route = route;
		this.middleware = middleware;
		this.location = location;
		this.task = task;
		this.keys = keys;
	}

	public String getRoute() {
		return this.route;
	}

	public String getMiddleware() {
		return this.middleware;
	}

	/** The step's {@code file:line}. */
	public String getLocation() {
		return this.location;
	}

	/** The {@code @async} task the step runs in, or {@code null}. */
	public @Nullable String getTask() {
		return this.task;
	}

	/** {@code success}, or the type of the typed error the step ended with. */
	public String getOutcome() {
		return this.outcome;
	}

	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

	/** The keys made for this step by the instrumentation, or {@code null}. */
	@Nullable StepKeys keys() {
		return this.keys;
	}

}
