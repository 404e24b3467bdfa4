package dev.webpipe.benchmarks.routing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.SourceFile;
import dev.webpipe.autoconfigure.BuiltinMiddleware;
import dev.webpipe.middleware.MiddlewareRegistry;

/**
 * The routing benchmark (docs/performance.md#routing), driven by {@code routing.sh}.
 * <ul>
 * <li>{@code routing-compile N...}: parses and compiles programs of {@code N} routes in-process, apart
 * from Spring's start, and prints a table: milliseconds (best of five) and the heap the compiled program
 * holds per route.</li>
 * <li>{@code routing-server --routing.others=N --routing.port-file=F}: serves {@code GET /hello/:name} beside
 * {@code N} other routes ({@code GET /svc<i>/items/:id} and {@code GET /p<i>/:a/:b/:c}, half each).</li>
 * </ul>
 */
@SpringBootApplication
public class RoutingBenchmark {

	public static void main(String[] args) throws IOException {
		String mode = args[0];
		String[] rest = Arrays.copyOfRange(args, 1, args.length);
		if (mode.equals("routing-compile")) {
			compile(rest);
			return;
		}
		int others = 0;
		for (String arg : rest) {
			if (arg.startsWith("--routing.others=")) {
				others = Integer.parseInt(arg.substring("--routing.others=".length()));
			}
		}
		Path folder = Files.createTempDirectory("webpipe-routing");
		Files.writeString(folder.resolve("hello.wp"), hello(), StandardCharsets.UTF_8);
		Files.writeString(folder.resolve("others.wp"), others(others), StandardCharsets.UTF_8);
		SpringApplication application = new SpringApplication(RoutingBenchmark.class);
		application.setDefaultProperties(Map.of("webpipe.routes-location", folder.toUri().toString(),
				"spring.sql.init.mode", "never"));
		application.run(rest);
	}

	static String hello() {
		return "GET /hello/:name\n  |> jq: `{ hello: .params.name }`\n";
	}

	/** {@code n} routes: half {@code /svc<i>/items/:id}, half parameter-heavy {@code /p<i>/:a/:b/:c}. */
	static String others(int n) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < n; i++) {
			if (i % 2 == 0) {
				text.append("GET /svc").append(i).append("/items/:id\n  |> jq: `{ id: .params.id, svc: ").append(i)
					.append(" }`\n\n");
			}
			else {
				text.append("GET /p").append(i).append("/:a/:b/:c\n  |> jq: `{ a: .params.a, b: .params.b, c: .params.c }`\n\n");
			}
		}
		return text.toString();
	}

	private static void compile(String[] counts) {
		MiddlewareRegistry registry = MiddlewareRegistry.of(BuiltinMiddleware.standalone(), Map.of());
		// Warm-up: jq's builtins and the JIT.
		load(registry, 2000);
		System.out.println("| routes | parse + compile ms (best of 5) | heap per route (bytes) |");
		System.out.println("|---:|---:|---:|");
		for (String count : counts) {
			int n = Integer.parseInt(count);
			long best = Long.MAX_VALUE;
			for (int round = 0; round < 5; round++) {
				long start = System.nanoTime();
				load(registry, n);
				best = Math.min(best, System.nanoTime() - start);
			}
			MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
			long before = usedAfterGc(memory);
			CompiledProgram program = load(registry, n);
			long after = usedAfterGc(memory);
			System.out.printf("| %d | %.0f | %d |%n", n, best / 1e6, (after - before) / n);
			if (program.routes().size() != n + 1) {
				throw new IllegalStateException("expected " + (n + 1) + " routes");
			}
		}
	}

	private static CompiledProgram load(MiddlewareRegistry registry, int n) {
		List<SourceFile> files = new ArrayList<>();
		files.add(new SourceFile("hello.wp", hello()));
		files.add(new SourceFile("others.wp", others(n)));
		return Compiler.load(files, registry, Compiler.CompilerOptions.defaults());
	}

	private static long usedAfterGc(MemoryMXBean memory) {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	@Bean
	static ApplicationListener<WebServerInitializedEvent> routingPortFileWriter(Environment environment) {
		return (event) -> {
			String portFile = environment.getProperty("routing.port-file");
			if (portFile == null) {
				return;
			}
			try {
				Path target = Path.of(portFile);
				Path written = Files.writeString(target.resolveSibling(target.getFileName() + ".tmp"),
						Integer.toString(event.getWebServer().getPort()), StandardCharsets.UTF_8);
				Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot write the port file " + portFile, ex);
			}
		};
	}

}
