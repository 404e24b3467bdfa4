package dev.webpipe.testing;

import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares a parallel route against its sequential twin without asserting milliseconds: the best
 * of three alternating rounds of each, and parallel must take under 60 % of sequential.
 */
public final class ParallelTiming {

	private ParallelTiming() {
	}

	public static void assertClearlyFaster(WebTestClient client, String parallelPath, String sequentialPath) {
		long sequential = Long.MAX_VALUE;
		long parallel = Long.MAX_VALUE;
		for (int round = 0; round < 3; round++) {
			sequential = Math.min(sequential, time(client, sequentialPath));
			parallel = Math.min(parallel, time(client, parallelPath));
		}
		assertThat(parallel).as("parallel %d ms against sequential %d ms", parallel / 1_000_000,
				sequential / 1_000_000).isLessThan((long) (sequential * 0.6));
	}

	private static long time(WebTestClient client, String path) {
		long start = System.nanoTime();
		client.get().uri(path).exchange().expectStatus().isOk();
		return System.nanoTime() - start;
	}

}
