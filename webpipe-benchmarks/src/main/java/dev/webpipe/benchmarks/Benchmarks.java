package dev.webpipe.benchmarks;

/**
 * Entry point of the benchmark jar: {@code java -jar webpipe-benchmarks.jar <benchmark>}, where the benchmark is
 * {@code async-overhead} (in-process), or one of the two processes of the HTTP benchmark that {@code run.sh}
 * drives: {@code upstream} (the stub upstream) and {@code server} (the application with the {@code .wp} routes
 * and their hand-written twins); {@code redis} (the Redis of {@code redis-store.sh}); and the two parts of
 * {@code routing.sh}: {@code routing-compile} and {@code routing-server}; the two clients of {@code concurrency.sh},
 * {@code idle-connections} and {@code burst}; {@code reload} (in-process, {@code reload.sh}).
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String which = (args.length > 0) ? args[0] : "";
		switch (which) {
			case "async-overhead" -> AsyncOverhead.main(java.util.Arrays.copyOfRange(args, 1, args.length));
			case "upstream" -> Upstream.main(java.util.Arrays.copyOfRange(args, 1, args.length));
			case "redis" -> EmbeddedRedis.main(java.util.Arrays.copyOfRange(args, 1, args.length));
			case "server" -> HttpBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
			case "idle-connections" -> IdleConnections.main(java.util.Arrays.copyOfRange(args, 1, args.length));
			case "burst" -> Burst.main(java.util.Arrays.copyOfRange(args, 1, args.length));
			case "routing-compile", "routing-server" -> dev.webpipe.benchmarks.routing.RoutingBenchmark.main(args);
			case "reload" -> dev.webpipe.benchmarks.routing.ReloadBenchmark
				.main(java.util.Arrays.copyOfRange(args, 1, args.length));
			default -> {
				System.err.println("usage: java -jar webpipe-benchmarks.jar async-overhead [requests]\n"
						+ "       java -jar webpipe-benchmarks.jar upstream <port-file> [delay-ms] [max-seconds]\n"
						+ "       java -jar webpipe-benchmarks.jar redis <port-file> [max-seconds]\n"
						+ "       java -jar webpipe-benchmarks.jar server --bench.upstream=http://127.0.0.1:<port>"
						+ " [--bench.port-file=<file>]\n"
						+ "       java -jar webpipe-benchmarks.jar idle-connections <port> <path> <count> <ready-file> <hold-seconds>\n"
						+ "       java -jar webpipe-benchmarks.jar burst <port> <path> <count> <waves> <result-file>\n"
						+ "       java -jar webpipe-benchmarks.jar routing-compile <routes>...\n"
						+ "       java -jar webpipe-benchmarks.jar routing-server --routing.others=<n> --routing.port-file=<file>\n"
						+ "       java -jar webpipe-benchmarks.jar reload <rounds> <routes>...");
				System.exit(2);
			}
		}
	}

}
