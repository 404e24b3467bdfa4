package dev.webpipe.benchmarks;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.webpipe.runtime.DetachedTasks;

/**
 * {@code GET /bench/detached} for {@code detached.sh} (docs/performance.md#fire-and-forget-tasks): the detached
 * {@code @async} tasks in flight, the ones cancelled so far because {@code webpipe.async.max-detached} were in flight,
 * and that limit.
 */
final class DetachedStats {

	private DetachedStats() {
	}

	static RouterFunction<ServerResponse> routes(DetachedTasks tasks) {
		return RouterFunctions.route()
			.GET("/bench/detached", (request) -> ServerResponse.ok()
				.bodyValue("{\"running\":" + tasks.running() + ",\"refused\":" + tasks.refused() + ",\"maxDetached\":"
						+ tasks.maxDetached() + "}"))
			.build();
	}

}
