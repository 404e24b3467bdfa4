package dev.webpipe.observation;

import io.micrometer.observation.Observation;

/**
 * What a {@code webpipe.task} observation knows of one {@code @async} task (docs/operations.md#metrics-and-traces):
 * the route as written, the task's name and {@code file:line} and, once its fate is known, its outcome and whether
 * a join took it.
 */
public class TaskObservationContext extends Observation.Context {

	private final String route;

	private final String task;

	private final String location;

	private String outcome = "success";

	private boolean joined;

	/**
	 * @param route the route as written
	 * @param task the task's name
	 * @param location the {@code file:line} of the task's step
	 */
	public TaskObservationContext(String route, String task, String location) {
		this.route = route;
		this.task = task;
		this.location = location;
	}

	public String getRoute() {
		return this.route;
	}

	public String getTask() {
		return this.task;
	}

	/** The {@code file:line} of the task's step. */
	public String getLocation() {
		return this.location;
	}

	/** {@code success}, or the type of the typed error the task ended with ({@code timeoutError}, …). */
	public String getOutcome() {
		return this.outcome;
	}

	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

	/** Whether a join took the task's outcome ({@code false}: it was detached, or cancelled with its request). */
	public boolean isJoined() {
		return this.joined;
	}

	public void setJoined(boolean joined) {
		this.joined = joined;
	}

}
