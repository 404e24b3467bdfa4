package dev.webpipe.middleware.http;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The timeout of outbound calls, kept by a timer wheel. */
class OutboundHttpTimeoutTest {

	@Test
	void aCallThatDoesNotEmitInTimeFailsWithATimeoutAndIsCancelled() {
		AtomicBoolean cancelled = new AtomicBoolean();
		StepVerifier.create(OutboundHttp.withTimeout(Mono.never().doOnCancel(() -> cancelled.set(true)),
				Duration.ofMillis(50)))
			.expectError(TimeoutException.class)
			.verify(Duration.ofSeconds(5));
		assertThat(cancelled).isTrue();
	}

	@Test
	void aCallThatEmitsInTimeGivesItsValue() {
		StepVerifier.create(OutboundHttp.withTimeout(Mono.delay(Duration.ofMillis(20)).thenReturn("done"),
				Duration.ofSeconds(5)))
			.expectNext("done")
			.verifyComplete();
		StepVerifier.create(OutboundHttp.withTimeout(Mono.just("now"), Duration.ZERO))
			.expectNext("now")
			.verifyComplete();
	}

	@Test
	void anErrorOfTheCallIsKept() {
		StepVerifier.create(OutboundHttp.withTimeout(Mono.error(new IllegalStateException("boom")),
				Duration.ofSeconds(5)))
			.expectErrorMessage("boom")
			.verify(Duration.ofSeconds(5));
	}

}
