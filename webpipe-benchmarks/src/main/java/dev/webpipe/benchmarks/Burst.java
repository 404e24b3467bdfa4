package dev.webpipe.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The client of the burst part of {@code concurrency.sh}
 * ({@code java -jar webpipe-benchmarks.jar burst <port> <path> <count> <waves> <result-file>}): sends {@code count}
 * requests to the application on 127.0.0.1 at the same moment, each on a connection of its own, waits until every
 * one is answered or has failed, and does so {@code waves} times over the same (kept-alive) connections. So
 * {@code count} requests are in the application at once, which a closed loop like wrk's cannot hold on a machine
 * that answers fewer than {@code count} requests per upstream delay. It prints a line per wave and writes
 * {@code requests ok non2xx errors slowest-wave-ms kinds} (how many of each status other than 200 and of each
 * error) to {@code result-file}; a request that gets no
 * answer within 60 s counts as an error.
 */
final class Burst {

	private Burst() {
	}

	static void main(String[] args) throws IOException {
		int port = Integer.parseInt(args[0]);
		String path = args[1];
		int count = Integer.parseInt(args[2]);
		int waves = Integer.parseInt(args[3]);
		Path result = Path.of(args[4]);
		ConnectionProvider connections = ConnectionProvider.builder("burst")
			.maxConnections(count)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(Duration.ofSeconds(60))
			.build();
		HttpClient client = HttpClient.create(connections)
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(60));
		long requests = 0;
		long ok = 0;
		long non2xx = 0;
		long errors = 0;
		long slowest = 0;
		Map<String, Integer> kinds = new TreeMap<>();
		for (int wave = 1; wave <= waves; wave++) {
			long start = System.nanoTime();
			List<String> outcomes = Flux.range(0, count)
				.flatMap((i) -> client.get()
					.uri(path)
					.responseSingle((response, body) -> body.then(Mono.just(Integer.toString(response.status().code()))))
					.onErrorResume((error) -> Mono.just("error " + error.getClass().getSimpleName())), count)
				.collectList()
				.block();
			long millis = (System.nanoTime() - start) / 1_000_000;
			long waveOk = 0;
			for (String outcome : (outcomes == null) ? List.<String>of() : outcomes) {
				requests++;
				if (outcome.equals("200")) {
					waveOk++;
				}
				else if (outcome.startsWith("error")) {
					errors++;
					kinds.merge(outcome, 1, Integer::sum);
				}
				else {
					non2xx++;
					kinds.merge("status " + outcome, 1, Integer::sum);
				}
			}
			ok += waveOk;
			slowest = Math.max(slowest, millis);
			System.out.println("wave " + wave + ": " + waveOk + " of " + count + " answered 200 in " + millis + " ms");
		}
		Files.writeString(result, requests + " " + ok + " " + non2xx + " " + errors + " " + slowest + " "
				+ (kinds.isEmpty() ? "-" : kinds.toString().replace(' ', '_')) + "\n", StandardCharsets.UTF_8);
		connections.disposeLater().block(Duration.ofSeconds(10));
	}

}
