package dev.webpipe.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.SourceFile;
import dev.webpipe.autoconfigure.BuiltinMiddleware;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.web.ErrorDetails;
import dev.webpipe.web.RequestStateReader;
import dev.webpipe.web.WebPipeHandler;
import dev.webpipe.web.WebPipeRouterFunctions;

/** Compiles {@code .wp} text with the built-in and test middleware, and serves it without a server. */
public final class Programs {

	private Programs() {
	}

	public static MiddlewareRegistry registry() {
		return registry(List.of());
	}

	/** The built-in and test middleware plus {@code extra} built-ins (a {@code fetch} bound to a test client, {@code pg}, …). */
	public static MiddlewareRegistry registry(List<? extends Middleware> extra) {
		List<Middleware> all = new ArrayList<>(BuiltinMiddleware.standalone());
		all.addAll(TestMiddleware.all());
		all.addAll(extra);
		return MiddlewareRegistry.of(all, Map.of());
	}

	public static CompiledProgram compile(String file, String text) {
		return compile(file, text, Compiler.CompilerOptions.defaults());
	}

	public static CompiledProgram compile(String file, String text, Compiler.CompilerOptions options) {
		return Compiler.load(List.of(new SourceFile(file, text)), registry(), options);
	}

	/** Compiles with the built-in and test middleware plus {@code extra}. */
	public static CompiledProgram compile(String file, String text, List<? extends Middleware> extra) {
		return Compiler.load(List.of(new SourceFile(file, text)), registry(extra),
				Compiler.CompilerOptions.defaults());
	}

	/** A client bound to the program's router function, without environment names. */
	public static WebTestClient client(CompiledProgram program) {
		return client(program, null, Set.of());
	}

	/**
	 * A client bound to the program's router function (no server, no Spring context). Its error responses show every
	 * detail, as the test runner's do.
	 */
	public static WebTestClient client(CompiledProgram program, String env, Set<String> envNames) {
		return client(program, env, envNames, ErrorDetails.ALWAYS);
	}

	/** A client bound to the program's router function whose error responses show {@code details}. */
	public static WebTestClient client(CompiledProgram program, String env, Set<String> envNames,
			ErrorDetails details) {
		WebPipeHandler handler = new WebPipeHandler(program, new RequestStateReader(256 * 1024), env, envNames,
				details, null);
		return WebTestClient.bindToRouterFunction(WebPipeRouterFunctions.routes(program, handler)).build();
	}

}
