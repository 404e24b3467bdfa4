package dev.webpipe.middleware.log;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.ConfigBlock;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepContext;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Json;

/**
 * {@code |> log: "message"} or {@code |> log: "level: warn, includeBody: true"} (middleware.md, log):
 * logs a message when the step runs and an access entry when the response is complete, on
 * logger {@code webpipe.log}. The state is unchanged. Header values of {@link HeaderRedaction} are written as
 * {@code ***} (docs/middleware/log.md#redaction).
 */
public final class LogMiddleware implements Middleware {

	private static final Logger logger = LoggerFactory.getLogger("webpipe.log");

	private static final Set<String> SETTINGS = Set.of("level", "includeBody", "includeHeaders", "enabled");

	/** {@code config log}: the defaults of every {@code log} step. */
	static final ConfigBlock<Settings> CONFIG = ConfigBlock.of("log", Settings.class);

	private final HeaderRedaction redaction;

	/** A log middleware that redacts the default headers ({@link HeaderRedaction#defaults()}). */
	public LogMiddleware() {
		this(HeaderRedaction.defaults());
	}

	/** @param redaction the header values written as {@code ***} */
	public LogMiddleware(HeaderRedaction redaction) {
		this.redaction = redaction;
	}

	@Override
	public String name() {
		return "log";
	}

	@Override
	public ConfigBlock<?> configBlock() {
		return CONFIG;
	}

	@Override
	public boolean transparentToLookahead() {
		return true;
	}

	@Override
	public Behavior behavior() {
		return Behavior.READ_ONLY;
	}

	@Override
	public int maxInlineArguments() {
		return 1;
	}

	@Override
	public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
		Settings block = definition.settings(CONFIG);
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("enabled", String.valueOf(block.enabled()));
		settings.put("level", block.level());
		settings.put("includeBody", String.valueOf(block.includeBody()));
		settings.put("includeHeaders", String.valueOf(block.includeHeaders()));
		String config = definition.config().trim();
		Map<String, String> parsed = parseSettings(config);
		String message = null;
		if (parsed != null) {
			settings.putAll(parsed);
		}
		else if (!config.isEmpty()) {
			message = config;
		}
		Level level = level(settings.get("level"));
		if (level == null) {
			throw new InvalidStepException("log: invalid level '" + settings.get("level")
					+ "' (trace, debug, info, warn, error)");
		}
		Options options = new Options(!"false".equals(settings.get("enabled")), level,
				"true".equals(settings.get("includeBody")), !"false".equals(settings.get("includeHeaders")),
				message, definition.location().toString());
		return (input) -> {
			if (options.enabled()) {
				run(options, input.argument(0), input.context());
			}
			return Mono.just(StepResult.of(input.state()));
		};
	}

	private void run(Options options, @Nullable JsonNode argument, StepContext context) {
		String message = options.message();
		if (argument != null) {
			message = argument.isTextual() ? argument.asText() : Json.write(this.redaction.apply(argument));
		}
		if (message != null) {
			logger.info("{} [{} {}]", message, context.route(), options.location());
		}
		ObjectNode meta = Json.NODES.objectNode();
		meta.put("level", options.level().name().toLowerCase(Locale.ROOT));
		meta.put("include_body", options.includeBody());
		meta.put("include_headers", options.includeHeaders());
		context.putMetadata("log", meta);
		ObjectNode request = context.request();
		context.onComplete((completion) -> {
			if (!logger.isEnabledForLevel(options.level())) {
				return;
			}
			ObjectNode entry = Json.NODES.objectNode();
			entry.put("level", options.level().name().toLowerCase(Locale.ROOT));
			entry.put("duration_ms", completion.duration().toMillis());
			ObjectNode req = entry.putObject("request");
			req.set("method", request.get("method"));
			req.set("params", request.get("params"));
			req.set("query", request.get("query"));
			if (options.includeHeaders()) {
				req.set("headers", this.redaction.applyToHeaders(request.get("headers")));
			}
			ObjectNode response = entry.putObject("response");
			response.put("status", completion.status());
			if (options.includeBody() && completion.body() != null) {
				JsonNode body = completion.body();
				if (body instanceof ObjectNode object && object.has("setCookies")) {
					ObjectNode copy = object.deepCopy();
					copy.remove("setCookies");
					body = copy;
				}
				response.set("body", this.redaction.apply(body));
			}
			logger.atLevel(options.level()).log(Json.write(entry));
		});
	}

	/** The settings of a config made only of {@code key: value} settings, else {@code null}. */
	static @Nullable Map<String, String> parseSettings(String config) {
		if (config.isEmpty()) {
			return null;
		}
		Map<String, String> settings = new LinkedHashMap<>();
		for (String part : config.split("[,\n]")) {
			String trimmed = part.trim();
			if (trimmed.isEmpty()) {
				continue;
			}
			int colon = trimmed.indexOf(':');
			if (colon < 0) {
				return null;
			}
			String key = trimmed.substring(0, colon).trim();
			String value = trimmed.substring(colon + 1).trim();
			if (!SETTINGS.contains(key)) {
				return null;
			}
			if (key.equals("level") ? level(value) == null : !(value.equals("true") || value.equals("false"))) {
				return null;
			}
			settings.put(key, value);
		}
		return settings.isEmpty() ? null : settings;
	}

	private static @Nullable Level level(String text) {
		return switch (text.toLowerCase(Locale.ROOT)) {
			case "trace" -> Level.TRACE;
			case "debug" -> Level.DEBUG;
			case "info" -> Level.INFO;
			case "warn" -> Level.WARN;
			case "error" -> Level.ERROR;
			default -> null;
		};
	}

	/**
	 * The values of {@code config log}: step defaults; {@code format}, {@code maxBodySize} and
	 * {@code timestamp} are accepted and ignored (docs/middleware/log.md).
	 */
	record Settings(Boolean enabled, String level, Boolean includeBody, Boolean includeHeaders,
			@Nullable JsonNode format, @Nullable JsonNode maxBodySize, @Nullable JsonNode timestamp) {

		Settings {
			enabled = (enabled != null) ? enabled : true;
			level = (level != null) ? level : "debug";
			includeBody = (includeBody != null) ? includeBody : false;
			includeHeaders = (includeHeaders != null) ? includeHeaders : true;
		}

	}

	private record Options(boolean enabled, Level level, boolean includeBody, boolean includeHeaders,
			@Nullable String message, String location) {
	}

}
