package dev.webpipe.autoconfigure.openapi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpStatus;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.CompiledRoute;
import dev.webpipe.compile.RouteContract;
import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.Document;
import dev.webpipe.language.LoadException;
import dev.webpipe.language.RouteDoc;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.MiddlewareRegistry;

/**
 * Describes every {@code .wp} route in springdoc's OpenAPI document (docs/openapi.md): one full
 * operation per route, built from the route's {@link RouteContract} and the comment lines above it,
 * in place of any bare operation springdoc derived from the router function (docs/openapi.md#what-is-inferred).
 */
public final class WebPipeOpenApi implements OpenApiCustomizer {

	/** The name of the schema of unhandled error bodies in {@code components/schemas}. */
	static final String ERRORS_SCHEMA = "WebPipeErrors";

	private final Supplier<CompiledProgram> program;

	private final MiddlewareRegistry registry;

	/**
	 * @param program the program being served, asked each time the document is built
	 * @param registry the middleware whose declarations the routes are described from
	 */
	public WebPipeOpenApi(Supplier<CompiledProgram> program, MiddlewareRegistry registry) {
		this.program = program;
		this.registry = registry;
	}

	@Override
	public void customise(OpenAPI openApi) {
		describe(openApi, this.program.get());
	}

	/**
	 * Builds the routes' part of a document once, so that a schema written after {@code @response}
	 * that OpenAPI cannot take stops start-up at its position rather than failing the document.
	 * @throws LoadException with an error per such schema
	 */
	public void check() {
		check(this.program.get());
	}

	/**
	 * {@link #check()} for a program about to serve (a reload).
	 * @throws LoadException with an error per schema OpenAPI cannot take
	 */
	public void check(CompiledProgram program) {
		describe(new OpenAPI(), program);
	}

	/**
	 * Puts the routes of {@code program} into {@code openApi}: the operations springdoc derived from
	 * the route's router function (its method, and HEAD for GET) are replaced by one full operation
	 * per route; operations of the application's controllers on other methods of the same path
	 * stay. The document's one construction, which a refreshed program calls again
	 * (docs/openapi.md#how-it-works).
	 */
	public void describe(OpenAPI openApi, CompiledProgram program) {
		if (openApi.getPaths() == null) {
			openApi.setPaths(new Paths());
		}
		for (CompiledRoute route : program.routes()) {
			for (String path : List.of(openApiPath(route.pattern()), route.pattern())) {
				PathItem item = openApi.getPaths().get(path);
				if (item == null) {
					continue;
				}
				item.operation(PathItem.HttpMethod.valueOf(route.method()), null);
				if (route.method().equals("GET")) {
					item.setHead(null);
				}
				if (item.readOperations().isEmpty()) {
					openApi.getPaths().remove(path);
				}
			}
		}
		Map<String, String> tags = tags(program);
		Set<String> operationIds = new HashSet<>();
		boolean errorsSchema = false;
		List<CompiledRoute> routes = new ArrayList<>(program.routes());
		routes.sort(Comparator.comparing((CompiledRoute route) -> route.location().file())
			.thenComparingInt((route) -> route.location().span().line()));
		for (CompiledRoute route : routes) {
			RouteContract contract = RouteContract.of(route, program, this.registry);
			Operation operation = operation(program, route, contract,
					Objects.requireNonNull(tags.get(route.location().file())), operationIds);
			errorsSchema |= operation.getResponses().values().stream().anyMatch(WebPipeOpenApi::refersToErrors);
			PathItem item = openApi.getPaths().computeIfAbsent(openApiPath(route.pattern()), (key) -> new PathItem());
			item.operation(PathItem.HttpMethod.valueOf(route.method()), operation);
		}
		for (String tag : new java.util.TreeSet<>(tags.values())) {
			if (openApi.getTags() == null || openApi.getTags().stream().noneMatch((t) -> tag.equals(t.getName()))) {
				openApi.addTagsItem(new Tag().name(tag));
			}
		}
		if (errorsSchema) {
			if (openApi.getComponents() == null) {
				openApi.setComponents(new Components());
			}
			openApi.getComponents().addSchemas(ERRORS_SCHEMA, errorsSchema());
		}
	}

	private Operation operation(CompiledProgram program, CompiledRoute route, RouteContract contract, String tag,
			Set<String> operationIds) {
		RouteDoc doc = route.doc();
		Operation operation = new Operation();
		operation.setOperationId(operationId(route, operationIds));
		operation.addTagsItem(tag);
		if (!doc.summary().isEmpty()) {
			operation.setSummary(doc.summary());
		}
		if (!doc.description().isEmpty()) {
			operation.setDescription(doc.description());
		}
		for (String name : contract.pathParameters()) {
			operation.addParametersItem(new Parameter().in("path").name(name).required(true).schema(stringSchema()));
		}
		Map<String, Parameter> query = new LinkedHashMap<>();
		for (String name : contract.queryParameters()) {
			query.put(name, new Parameter().in("query").name(name).required(false).schema(stringSchema()));
		}
		for (RouteDoc.QueryParameter written : doc.queryParameters()) {
			Parameter parameter = query.computeIfAbsent(written.name(),
					(name) -> new Parameter().in("query").name(name).schema(stringSchema()));
			parameter.setRequired(written.required());
			if (!written.description().isEmpty()) {
				parameter.setDescription(written.description());
			}
		}
		query.values().forEach(operation::addParametersItem);
		if (!contract.requestBodySchemas().isEmpty()) {
			JsonNode body = contract.requestBodySchemas().get(0);
			if (contract.requestBodySchemas().size() > 1) {
				com.fasterxml.jackson.databind.node.ObjectNode all = Json.NODES.objectNode();
				contract.requestBodySchemas().forEach(all.putArray("allOf")::add);
				body = all;
			}
			operation.setRequestBody(new RequestBody().required(true)
				.content(new Content().addMediaType("application/json", new MediaType().schema(schema(body)))));
		}
		operation.setResponses(responses(program, route, contract, doc));
		return operation;
	}

	private ApiResponses responses(CompiledProgram program, CompiledRoute route, RouteContract contract,
			RouteDoc doc) {
		Map<Integer, ApiResponse> responses = new java.util.TreeMap<>();
		for (RouteContract.Response response : contract.responses()) {
			ApiResponse api = new ApiResponse().description(description(response));
			if (!response.branches().isEmpty()) {
				api.addExtension("x-webpipe-result-branches", response.branches());
			}
			if (!response.errors().isEmpty()) {
				api.addExtension("x-webpipe-errors", response.errors());
			}
			boolean unhandledOnly = !response.success() && response.branches().isEmpty();
			if (unhandledOnly) {
				api.setContent(new Content().addMediaType("application/json",
						new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERRORS_SCHEMA))));
			}
			else if (response.html()) {
				api.setContent(new Content().addMediaType("text/html", new MediaType().schema(stringSchema())));
			}
			else {
				api.setContent(new Content().addMediaType("application/json", new MediaType()));
			}
			responses.put(response.status(), api);
		}
		for (RouteDoc.Response written : doc.responses()) {
			Schema<?> writtenSchema = written.schema()
				.map((text) -> writtenSchema(program, route, written, text))
				.orElse(null);
			ApiResponse api = responses.computeIfAbsent(written.status(),
					(status) -> new ApiResponse().description(reason(status)));
			if (!written.description().isEmpty()) {
				api.setDescription(written.description());
			}
			if (written.schema().isPresent()) {
				String type = (api.getContent() != null && api.getContent().containsKey("text/html")) ? "text/html"
						: "application/json";
				api.setContent(new Content().addMediaType(type, new MediaType().schema(writtenSchema)));
			}
			else if (api.getContent() == null) {
				api.setContent(new Content().addMediaType("application/json", new MediaType()));
			}
		}
		ApiResponses api = new ApiResponses();
		responses.forEach((status, response) -> api.addApiResponse(String.valueOf(status), response));
		return api;
	}

	/** {@code OK}; {@code Result branch notFound}; {@code Unhandled validationError}; joined with {@code ; }. */
	private static String description(RouteContract.Response response) {
		List<String> parts = new ArrayList<>();
		if (response.success()) {
			parts.add(reason(response.status()));
		}
		if (!response.branches().isEmpty()) {
			parts.add(((response.branches().size() == 1) ? "Result branch " : "Result branches ")
					+ String.join(", ", response.branches()));
		}
		if (!response.errors().isEmpty()) {
			parts.add("Unhandled " + String.join(", ", response.errors()));
		}
		if (parts.isEmpty()) {
			parts.add("Unhandled error");
		}
		return String.join("; ", parts);
	}

	private static String reason(int status) {
		HttpStatus known = HttpStatus.resolve(status);
		return (known != null) ? known.getReasonPhrase() : "Status " + status;
	}

	private static boolean refersToErrors(ApiResponse response) {
		return response.getContent() != null && response.getContent().values().stream()
			.anyMatch((media) -> media.getSchema() != null
					&& ("#/components/schemas/" + ERRORS_SCHEMA).equals(media.getSchema().get$ref()));
	}

	/**
	 * {@code getUsersById} for {@code GET /users/:id}: the method, then each segment capitalised,
	 * a parameter as {@code By<Name>}, the root as {@code Root}; a clash gets {@code _2}, {@code _3}, …
	 * in route order.
	 */
	static String operationId(CompiledRoute route, Set<String> taken) {
		StringBuilder id = new StringBuilder(route.method().toLowerCase(Locale.ROOT));
		boolean any = false;
		for (String segment : route.path().split("/")) {
			if (segment.isEmpty()) {
				continue;
			}
			any = true;
			if (segment.startsWith(":") || segment.startsWith("*")) {
				id.append("By");
				segment = segment.substring(1);
			}
			boolean upper = true;
			for (char c : segment.toCharArray()) {
				if (Character.isLetterOrDigit(c)) {
					id.append(upper ? Character.toUpperCase(c) : c);
					upper = false;
				}
				else {
					upper = true;
				}
			}
		}
		if (!any) {
			id.append("Root");
		}
		String base = id.toString();
		String candidate = base;
		for (int n = 2; !taken.add(candidate); n++) {
			candidate = base + "_" + n;
		}
		return candidate;
	}

	/** {@code /files/{rest}} for the Spring pattern {@code /files/{*rest}}. */
	static String openApiPath(String pattern) {
		return pattern.replace("{*", "{");
	}

	/**
	 * One tag per file: its name without folders and {@code .wp}, or without {@code .wp} only when
	 * two files share that name.
	 */
	static Map<String, String> tags(CompiledProgram program) {
		Map<String, Integer> shortNames = new HashMap<>();
		for (Document document : program.documents()) {
			shortNames.merge(shortName(document.file()), 1, Integer::sum);
		}
		Map<String, String> tags = new HashMap<>();
		for (Document document : program.documents()) {
			String file = document.file();
			String tag = shortName(file);
			tags.put(file, (shortNames.getOrDefault(tag, 0) > 1) ? withoutExtension(file) : tag);
		}
		return tags;
	}

	private static String shortName(String file) {
		return withoutExtension(file.substring(file.lastIndexOf('/') + 1));
	}

	private static String withoutExtension(String file) {
		return file.endsWith(".wp") ? file.substring(0, file.length() - 3) : file;
	}

	private static Schema<?> stringSchema() {
		return schema(Json.NODES.objectNode().put("type", "string"));
	}

	/** The body of an unhandled error (docs/runtime.md#what-an-unhandled-error-shows-the-client). */
	private static Schema<?> errorsSchema() {
		String text = """
				{ "type": "object",
				  "properties": {
				    "errors": { "type": "array", "items": { "type": "object", "required": ["type"],
				      "properties": { "type": { "type": "string" }, "message": { "type": "string" } } } },
				    "error": { "type": "string" },
				    "requestId": { "type": "string" } } }
				""";
		return schema(Json.parse(text));
	}

	/** The schema written after {@code @response}, or a load error at its position. */
	private static Schema<?> writtenSchema(CompiledProgram program, CompiledRoute route, RouteDoc.Response written,
			String text) {
		try {
			return schema(Json.parse(text));
		}
		catch (IllegalStateException ex) {
			String file = route.location().file();
			String line = program.documents().stream()
				.filter((document) -> document.file().equals(file))
				.map((document) -> document.source().line(written.schemaSpan().line()))
				.findFirst()
				.orElse("");
			throw new LoadException(List.of(new Diagnostic(Diagnostic.Severity.ERROR, file, written.schemaSpan(),
					"the schema after @response " + written.status()
							+ " is not a JSON Schema: a keyword has a value of the wrong kind",
					line)));
		}
	}

	/** A JSON Schema as a model object of the document (OpenAPI 3.1 schemas are JSON Schema). */
	static Schema<?> schema(JsonNode schema) {
		try {
			return Json31.mapper().readValue(Json.write(schema), Schema.class);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException ex) {
			throw new IllegalStateException("not a schema", ex);
		}
	}

}
