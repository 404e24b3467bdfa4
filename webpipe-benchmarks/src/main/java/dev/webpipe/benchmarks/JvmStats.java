package dev.webpipe.benchmarks;

import java.lang.management.ManagementFactory;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /bench/jvm} for the benchmark scripts: the bytes allocated by every thread of the application so far
 * and the heap in use, after a full collection with {@code ?gc=true} (docs/performance.md#memory-at-concurrency).
 */
final class JvmStats {

	private JvmStats() {
	}

	static RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route().GET("/bench/jvm", (request) -> {
			if (request.queryParam("gc").isPresent()) {
				for (int i = 0; i < 3; i++) {
					System.gc();
				}
			}
			long allocated = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
				.getTotalThreadAllocatedBytes();
			long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			return ServerResponse.ok().bodyValue("{\"allocatedBytes\":" + allocated + ",\"heapUsedBytes\":" + heap + "}");
		}).build();
	}

}
