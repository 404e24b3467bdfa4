package dev.webpipe.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/** The observations of the runtime, their conventions and keys (docs/operations.md#metrics-and-traces). */
public enum WebPipeObservationDocumentation implements ObservationDocumentation {

	/** One middleware step of a route's run. */
	STEP {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return StepObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { StepKeys.ROUTE, StepKeys.MIDDLEWARE, StepKeys.OUTCOME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { StepKeys.LOCATION };
		}
	},

	/** One {@code @async} task, from its start until its end and fate (joined or detached) are known. */
	TASK {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return TaskObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { TaskKeys.ROUTE, TaskKeys.TASK, TaskKeys.OUTCOME, TaskKeys.JOINED };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { TaskKeys.LOCATION };
		}
	};

	/** The keys of {@code webpipe.step}. */
	public enum StepKeys implements KeyName {

		/** The route as written, {@code GET /users/:id}. */
		ROUTE("route"),
		/** The middleware name. */
		MIDDLEWARE("middleware"),
		/** {@code success} or the type of the typed error the step ended with. */
		OUTCOME("outcome"),
		/** The step's {@code file:line} (high cardinality). */
		LOCATION("location");

		private final String key;

		StepKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

	/** The keys of {@code webpipe.task}. */
	public enum TaskKeys implements KeyName {

		/** The route as written. */
		ROUTE("route"),
		/** The task's name. */
		TASK("task"),
		/** {@code success} or the type of the typed error the task ended with. */
		OUTCOME("outcome"),
		/** {@code true} when a join took the task's outcome, {@code false} when it was detached. */
		JOINED("joined"),
		/** The {@code file:line} of the task's step (high cardinality). */
		LOCATION("location");

		private final String key;

		TaskKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
