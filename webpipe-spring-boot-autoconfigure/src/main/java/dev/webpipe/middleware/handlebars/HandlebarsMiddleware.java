package dev.webpipe.middleware.handlebars;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.cache.ConcurrentMapTemplateCache;
import com.github.jknack.handlebars.context.MapValueResolver;
import com.github.jknack.handlebars.helper.ConditionalHelpers;
import com.github.jknack.handlebars.io.AbstractTemplateLoader;
import com.github.jknack.handlebars.io.StringTemplateSource;
import com.github.jknack.handlebars.io.TemplateSource;
import com.github.jknack.handlebars.jackson.JsonNodeValueResolver;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.PlainMessageException;

/**
 * {@code |> handlebars: `template`}: renders the state as HTML (docs/middleware/handlebars.md).
 * <p>
 * Templates are compiled once at load time with Handlebars.java, after their indentation is
 * stripped ({@link TemplateText}). Every {@code handlebars} variable of the program is partial
 * {@code {{> name}}}; a reference to a partial that no variable (and no inline partial of the same
 * template) defines is a load-time warning, and a {@code handlebarsError} when it is rendered. The
 * render data is the state object with {@code context} set to {@code $context}; any other state
 * renders as {@code {data: state, context: …}}. The output replaces the state and the content type
 * becomes {@code text/html} (behaviour class Render).
 */
public final class HandlebarsMiddleware implements Middleware {

	/** {@code {{> name}}}, {@code {{#> name}}} and their whitespace-control forms; group 1, 2 or 3 is the name. */
	private static final Pattern PARTIAL_REFERENCE = Pattern
		.compile("\\{\\{~?\\s*#?>\\s*(?:\"([^\"]+)\"|'([^']+)'|([^\\s}~()\"'@][^\\s}~()]*))");

	/** {@code {{#*inline "name"}}}; group 1 or 2 is the name. */
	private static final Pattern INLINE_PARTIAL = Pattern
		.compile("\\{\\{~?\\s*#\\*inline\\s+(?:\"([^\"]+)\"|'([^']+)')");

	/** Handlebars.java's reason for a partial its loader does not know. */
	private static final Pattern MISSING_PARTIAL = Pattern.compile("^The partial '/?([^']*)' at .* could not be found");

	private static final String TEMPLATE_NAME = "template";

	@Override
	public String name() {
		return "handlebars";
	}

	@Override
	public Behavior behavior() {
		return Behavior.RENDER;
	}

	@Override
	public List<ErrorContract> errors() {
		return List.of(new ErrorContract("handlebarsError", 500));
	}

	@Override
	public boolean warnsOnIdentifierConfig() {
		return true;
	}

	@Override
	public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
		Map<String, TemplateText> partials = new LinkedHashMap<>();
		definition.variables().forEach((name, text) -> partials.put(name, TemplateText.of(text)));
		Handlebars handlebars = newHandlebars(partials);
		TemplateText text = TemplateText.of(definition.config());
		Template template;
		try {
			template = handlebars.compile(new StringTemplateSource(TEMPLATE_NAME, text.text()));
		}
		catch (HandlebarsException ex) {
			throw new InvalidStepException(templateError(ex), offset(text, ex));
		}
		catch (IOException ex) {
			throw new InvalidStepException("handlebars template error: " + ex.getMessage());
		}
		Set<String> visited = new HashSet<>();
		for (Reference reference : references(text)) {
			checkPartial(definition, handlebars, partials, reference, null, visited);
		}
		return (input) -> Mono.fromCallable(() -> StepResult.of(TextNode.valueOf(render(template, input))));
	}

	/**
	 * Warns about a reference to a partial no variable defines, else compiles the partial (once;
	 * Handlebars caches it) and checks the partials it references in turn.
	 * @param in the variable whose text holds the reference, or {@code null} for the step's config
	 */
	private static void checkPartial(StepDefinition definition, Handlebars handlebars,
			Map<String, TemplateText> partials, Reference reference, @Nullable String in, Set<String> visited)
			throws InvalidStepException {
		if (reference.defined()) {
			return;
		}
		TemplateText partial = partials.get(reference.name());
		if (partial == null) {
			String message = "unknown partial '" + reference.name() + "'";
			if (in == null) {
				definition.warn(message, reference.offset());
			}
			else {
				definition.warnInVariable(in, message, reference.offset());
			}
			return;
		}
		if (!visited.add(reference.name())) {
			return;
		}
		try {
			handlebars.compile(reference.name());
		}
		catch (HandlebarsException ex) {
			throw InvalidStepException.inVariable(reference.name(), templateError(ex), offset(partial, ex));
		}
		catch (IOException ex) {
			throw InvalidStepException.inVariable(reference.name(), "handlebars template error: " + ex.getMessage(),
					-1);
		}
		for (Reference inner : references(partial)) {
			checkPartial(definition, handlebars, partials, inner, reference.name(), visited);
		}
	}

	private static String render(Template template, StepInput input) {
		JsonNode state = input.state();
		ObjectNode data = Json.NODES.objectNode();
		if (state != null && state.isObject()) {
			data.setAll((ObjectNode) state);
		}
		else {
			data.set("data", state);
		}
		data.set("context", input.context().contextJson());
		Context context = Context.newBuilder(data)
			.resolver(JsonNodeValueResolver.INSTANCE, MapValueResolver.INSTANCE)
			.build();
		try {
			return template.apply(context);
		}
		catch (HandlebarsException ex) {
			throw new PlainMessageException(renderError(ex), ex);
		}
		catch (IOException | RuntimeException ex) {
			throw new PlainMessageException("template rendering failed", ex);
		}
		finally {
			context.destroy();
		}
	}

	private static String renderError(HandlebarsException ex) {
		HandlebarsError error = ex.getError();
		Matcher missing = MISSING_PARTIAL.matcher((error != null && error.reason != null) ? error.reason : "");
		if (missing.find()) {
			return "unknown partial '" + missing.group(1) + "'";
		}
		String where = (error != null) ? " at line " + error.line + " of the template" : "";
		return "template rendering failed" + where;
	}

	private static String templateError(HandlebarsException ex) {
		HandlebarsError error = ex.getError();
		String reason = (error != null && error.reason != null) ? error.reason : "invalid template";
		return "handlebars template error: " + reason.replace("'EOF'", "end of template");
	}

	private static int offset(TemplateText text, HandlebarsException ex) {
		HandlebarsError error = ex.getError();
		return (error != null) ? text.originalOffset(error.line, error.column) : -1;
	}

	private static Handlebars newHandlebars(Map<String, TemplateText> partials) {
		AbstractTemplateLoader loader = new AbstractTemplateLoader() {

			@Override
			public TemplateSource sourceAt(String location) throws IOException {
				TemplateText partial = partials.get(location);
				if (partial == null) {
					throw new FileNotFoundException(location);
				}
				return new StringTemplateSource(location, partial.text());
			}

		};
		loader.setPrefix("");
		loader.setSuffix("");
		Handlebars handlebars = new Handlebars(loader).with(new ConcurrentMapTemplateCache());
		handlebars.registerHelpers(ConditionalHelpers.class);
		handlebars.registerHelper("ne", ConditionalHelpers.neq);
		handlebars.registerHelper("len", LEN);
		return handlebars;
	}

	/** {@code len x}: the length of an array, object or string (in code points); 0 for anything else. */
	static final Helper<Object> LEN = (value, options) -> length(value);

	private static int length(Object value) {
		if (value instanceof JsonNode node) {
			if (node.isTextual()) {
				return node.textValue().codePointCount(0, node.textValue().length());
			}
			return (node.isArray() || node.isObject()) ? node.size() : 0;
		}
		if (value instanceof CharSequence text) {
			return Character.codePointCount(text, 0, text.length());
		}
		if (value instanceof Collection<?> collection) {
			return collection.size();
		}
		if (value instanceof Map<?, ?> map) {
			return map.size();
		}
		if (value instanceof Object[] array) {
			return array.length;
		}
		return 0;
	}

	/** The partials a template references, with the inline partials it defines marked. */
	private static List<Reference> references(TemplateText text) {
		String source = text.text();
		Set<String> inline = new HashSet<>();
		Matcher definitions = INLINE_PARTIAL.matcher(source);
		while (definitions.find()) {
			inline.add((definitions.group(1) != null) ? definitions.group(1) : definitions.group(2));
		}
		List<Reference> references = new java.util.ArrayList<>();
		Matcher matcher = PARTIAL_REFERENCE.matcher(source);
		while (matcher.find()) {
			int group = (matcher.group(1) != null) ? 1 : (matcher.group(2) != null) ? 2 : 3;
			String name = matcher.group(group);
			int start = matcher.start(group) - ((group == 3) ? 0 : 1);
			references.add(new Reference(name, text.originalOffset(start), inline.contains(name)));
		}
		return references;
	}

	private record Reference(String name, int offset, boolean defined) {
	}

}
