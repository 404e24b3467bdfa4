package dev.webpipe.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import reactor.core.publisher.Mono;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.CompiledRoute;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.SourceFile;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.autoconfigure.BuiltinMiddleware;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Json;
import dev.webpipe.runtime.RequestContext;

/**
 * The cost of {@code @async} and {@code join}: a route with N {@code @async} steps of a middleware
 * that answers after L = 50 ms, then a join. Prints, for N = 1, 3, 10 and 100, the p50 and p99
 * elapsed time of one request and the overhead over L, and the heap allocated per request at
 * N = 10. Requests run one after the other in this JVM, through the compiled program, so the
 * figures are the runtime's own cost (no HTTP).
 */
public final class AsyncOverhead {

	static final long LATENCY_MS = 50;

	private AsyncOverhead() {
	}

	public static void main(String[] args) {
		int requests = (args.length > 0) ? Integer.parseInt(args[0]) : 200;
		System.out.println("| N | p50 ms | p99 ms | overhead p50 ms | overhead p99 ms |");
		System.out.println("|---|--------|--------|-----------------|-----------------|");
		for (int n : new int[] { 1, 3, 10, 100 }) {
			CompiledProgram program = program(n);
			run(program, Math.max(50, requests / 2));
			long[] nanos = run(program, requests);
			Arrays.sort(nanos);
			double p50 = percentile(nanos, 0.50);
			double p99 = percentile(nanos, 0.99);
			System.out.printf("| %d | %.1f | %.1f | %.1f | %.1f |%n", n, p50, p99, p50 - LATENCY_MS, p99 - LATENCY_MS);
		}
		CompiledProgram ten = program(10);
		run(ten, 100);
		long before = allocatedBytes();
		int measured = 200;
		run(ten, measured);
		long perRequest = (allocatedBytes() - before) / measured;
		System.out.printf("%nHeap allocated per request at N = 10: %.1f KB (all threads, %d requests)%n",
				perRequest / 1024.0, measured);
	}

	static CompiledProgram program(int n) {
		StringBuilder source = new StringBuilder("GET /fan-out\n");
		List<String> names = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			source.append("  |> sleep: `").append(LATENCY_MS).append("` @async(t").append(i).append(")\n");
			names.add("t" + i);
		}
		source.append("  |> join: `").append(String.join(", ", names)).append("`\n");
		source.append("  |> jq: `{ done: (.async | length) }`\n");
		List<Middleware> middleware = new ArrayList<>(BuiltinMiddleware.standalone());
		middleware.add(new Sleep());
		return Compiler.load(List.of(new SourceFile("bench.wp", source.toString())),
				MiddlewareRegistry.of(middleware, Map.of()), Compiler.CompilerOptions.defaults());
	}

	static long[] run(CompiledProgram program, int requests) {
		CompiledRoute route = program.routes().get(0);
		long[] nanos = new long[requests];
		for (int i = 0; i < requests; i++) {
			ObjectNode request = Json.NODES.objectNode();
			request.put("method", "GET");
			request.put("path", "/fan-out");
			RequestContext context = RequestContext.create(request, route.label(), null, Set.of());
			long start = System.nanoTime();
			program.executor().execute(route.pipeline(), request, context).block(Duration.ofSeconds(30));
			nanos[i] = System.nanoTime() - start;
		}
		return nanos;
	}

	static double percentile(long[] sorted, double p) {
		int index = (int) Math.ceil(p * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1_000_000.0;
	}

	static long allocatedBytes() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long total = 0;
		for (long allocated : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
			if (allocated > 0) {
				total += allocated;
			}
		}
		return total;
	}

	/** Answers {@code {}} after the configured number of milliseconds, like an upstream call. */
	static final class Sleep implements Middleware {

		@Override
		public String name() {
			return "sleep";
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
			Duration delay = Duration.ofMillis(Long.parseLong(definition.config().trim()));
			return (input) -> Mono.delay(delay).map((tick) -> StepResult.of(Json.NODES.objectNode()));
		}

	}

}
