package dev.webpipe.benchmarks;

/** Entry point of the benchmark jar: {@code java -jar webpipe-benchmarks.jar <benchmark>}. */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String which = (args.length > 0) ? args[0] : "";
		switch (which) {
			case "async-overhead" -> AsyncOverhead.main(java.util.Arrays.copyOfRange(args, 1, args.length));
			default -> {
				System.err.println("usage: java -jar webpipe-benchmarks.jar async-overhead [requests]");
				System.exit(2);
			}
		}
	}

}
