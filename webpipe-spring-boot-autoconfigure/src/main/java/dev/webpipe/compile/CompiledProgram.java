package dev.webpipe.compile;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
 */
public record CompiledProgram(List<CompiledRoute> routes, Map<String, CompiledPipeline> pipelines,
		CompiledPipeline featureFlags, Map<String, ObjectNode> configBlocks, List<Document> documents,
		List<Diagnostic> warnings, PipelineExecutor executor, ErrorStatuses errorStatuses) {

	public CompiledProgram {
		routes = List.copyOf(routes);
		pipelines = Map.copyOf(pipelines);
		configBlocks = Map.copyOf(configBlocks);
		documents = List.copyOf(documents);
		warnings = List.copyOf(warnings);
	}

}
