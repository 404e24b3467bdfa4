package dev.webpipe.middleware;

/** How a middleware's output becomes the next state (docs/runtime.md#how-steps-change-the-state). */
public enum Behavior {

	/** Objects are merged, output keys over the current ones; otherwise the output replaces the state. */
	MERGE,

	/** The output replaces the state; system keys are kept while more steps follow. */
	TRANSFORM,

	/** The output (a string) replaces the state and the content type becomes {@code text/html}. */
	RENDER,

	/** The state is unchanged. */
	READ_ONLY

}
