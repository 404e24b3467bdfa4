package dev.webpipe.instrumentation;

import reactor.core.publisher.Mono;

import dev.webpipe.middleware.StepResult;

/**
 * The execution of one step: its inline arguments evaluated, then its middleware called. An instrumentation
 * may wrap it ({@link WebPipeInstrumentation#instrumentStep}) and return a result without calling it. The result
 * is applied exactly like the step's own; an exception or an error signal becomes the step's typed error.
 */
@FunctionalInterface
public interface StepExecution {

	Mono<StepResult> execute();

}
