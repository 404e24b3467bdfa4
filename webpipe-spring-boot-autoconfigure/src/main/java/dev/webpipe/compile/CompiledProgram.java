package dev.webpipe.compile;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.Document;
import dev.webpipe.runtime.CompiledPipeline;
import dev.webpipe.runtime.ErrorStatuses;
import dev.webpipe.runtime.PipelineExecutor;

/**
 * Every {@code .wp} file of an application compiled into one immutable program.
 *
 * @param routes the routes, most specific first
 * @param pipelines the named pipelines
 * @param featureFlags the featureFlags pipeline, run before every route (docs/flow-control.md#the-featureflags-pipeline), or {@code null}
 * @param configBlocks the merged config blocks, values resolved
 * @param documents the parsed files (the test runner reads their {@code describe} blocks)
 * @param warnings the load-time warnings
 * @param executor runs the program's pipelines
 * @param errorStatuses the status of an unhandled error by its type (the language's table and the
 * errors the registered middleware declare)
 * @param resources what the program's steps own (compiled steps that are {@link AutoCloseable}, such as a
 * {@code pg} step's lease of a pool built from {@code config pg}); closed when a reload replaced the program
 * and its requests have drained (docs/reload.md#what-a-reload-replaces)
 */
public record CompiledProgram(List<CompiledRoute> routes, Map<String, CompiledPipeline> pipelines,
		@Nullable CompiledPipeline featureFlags, Map<String, ObjectNode> configBlocks, List<Document> documents,
		List<Diagnostic> warnings, PipelineExecutor executor, ErrorStatuses errorStatuses,
		List<AutoCloseable> resources) {

	public CompiledProgram {
		resources = List.copyOf(resources);
		routes = List.copyOf(routes);
		pipelines = Map.copyOf(pipelines);
		configBlocks = Map.copyOf(configBlocks);
		documents = List.copyOf(documents);
		warnings = List.copyOf(warnings);
	}

	/** A program whose steps own no resource. */
	public CompiledProgram(List<CompiledRoute> routes, Map<String, CompiledPipeline> pipelines,
			@Nullable CompiledPipeline featureFlags, Map<String, ObjectNode> configBlocks, List<Document> documents,
			List<Diagnostic> warnings, PipelineExecutor executor, ErrorStatuses errorStatuses) {
		this(routes, pipelines, featureFlags, configBlocks, documents, warnings, executor, errorStatuses, List.of());
	}

}
