package dev.webpipe.web;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import dev.webpipe.compile.ProgramHolder;

/**
 * A router function over the program now serving (docs/architecture.md#the-program-holder): it asks the
 * {@link ProgramHolder} for the program on every request and routes through the functions built for that program,
 * so a reload changes what it serves, and what {@code /actuator/mappings} lists, at once. The functions of a new
 * program are built on the reloading thread before it serves, never on a request's thread.
 */
final class ProgramRouterFunction implements RouterFunction<ServerResponse> {

	private final ProgramHolder holder;

	private final Function<ProgramHolder.Loaded, RouterFunction<ServerResponse>> build;

	private volatile Built built;

	private volatile @Nullable Built prepared;

	ProgramRouterFunction(ProgramHolder holder, Function<ProgramHolder.Loaded, RouterFunction<ServerResponse>> build) {
		this.holder = holder;
		this.build = build;
		ProgramHolder.Loaded loaded = holder.current();
		this.built = new Built(loaded, build.apply(loaded));
		holder.addListener(new ProgramHolder.Listener() {

			@Override
			public void preparing(ProgramHolder.Loaded next) {
				ProgramRouterFunction.this.prepared = new Built(next, build.apply(next));
			}

			@Override
			public void replaced(ProgramHolder.Loaded previous, ProgramHolder.Loaded current) {
				current();
				ProgramRouterFunction.this.prepared = null;
			}

		});
	}

	/** The functions of the program now serving. */
	RouterFunction<ServerResponse> current() {
		ProgramHolder.Loaded loaded = this.holder.current();
		Built serving = this.built;
		if (serving.loaded() == loaded) {
			return serving.function();
		}
		Built next = this.prepared;
		if (next != null && next.loaded() == loaded) {
			this.built = next;
			return next.function();
		}
		synchronized (this) {
			serving = this.built;
			if (serving.loaded() != loaded) {
				serving = new Built(loaded, this.build.apply(loaded));
				this.built = serving;
			}
			return serving.function();
		}
	}

	@Override
	public Mono<HandlerFunction<ServerResponse>> route(ServerRequest request) {
		return current().route(request);
	}

	@Override
	public void accept(RouterFunctions.Visitor visitor) {
		current().accept(visitor);
	}

	@Override
	public String toString() {
		return "WebPipe routes of " + this.holder.current();
	}

	private record Built(ProgramHolder.Loaded loaded, RouterFunction<ServerResponse> function) {
	}

}
