package dev.webpipe.middleware.store;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failed store call is counted; a WARN is logged at most once a minute. */
@ExtendWith(OutputCaptureExtension.class)
class StoreFailuresTest {

	@Test
	void countsEveryFailureAndWarnsAtMostOnceAMinute(CapturedOutput output) {
		AtomicLong nanos = new AtomicLong(5_000_000_000L);
		StoreFailures failures = new StoreFailures(true, nanos::get);
		failures.record("cache lookup", new TimeoutException());
		for (int i = 0; i < 50; i++) {
			nanos.addAndGet(Duration.ofSeconds(1).toNanos());
			failures.record("rate-limit count", new IllegalStateException("Connection refused: /127.0.0.1:6379"));
		}
		assertThat(failures.count()).isEqualTo(51);
		assertThat(warnings(output)).isEqualTo(1);
		assertThat(output.getOut()).contains("cache lookup: no answer within webpipe.store.timeout")
			.contains("rateLimit steps refuse requests");
		nanos.addAndGet(Duration.ofSeconds(10).toNanos());
		failures.record("rate-limit count", new IllegalStateException("Connection refused: /127.0.0.1:6379"));
		assertThat(warnings(output)).isEqualTo(2);
		assertThat(output.getOut()).contains("rate-limit count: Connection refused: /127.0.0.1:6379")
			.contains("52 failed calls so far");
	}

	private static long warnings(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.contains("the cache and rate-limit store failed")).count();
	}

}
