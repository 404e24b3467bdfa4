package dev.webpipe.middleware.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.ConfigBlock;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.store.StoreFailures;
import dev.webpipe.middleware.store.ConfigPairs;
import dev.webpipe.middleware.store.KeyTemplate;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;
import dev.webpipe.runtime.Monos;

/**
 * {@code |> rateLimit: "keyTemplate: ip-{ip}, limit: 100, window: 1m"} (docs/middleware/rate-limit.md): a
 * fixed window per key allows {@code limit + burst} requests; a request beyond them gets a
 * {@code rateLimitExceeded} error (429 with {@code Retry-After} when unhandled). The state is otherwise
 * unchanged; sets {@code $context.rate_limit}. When the store fails (docs/scaling.md#when-redis-goes-away), the
 * request is allowed or refused per {@code webpipe.rate-limit.on-store-failure}, and the failure is counted and
 * logged by {@link StoreFailures}.
 */
public final class RateLimitMiddleware implements Middleware {

	static final String REQUIRED = "rateLimit: keyTemplate, limit and window are required";

	private final RateLimitStore store;

	private final StoreFailures failures;

	private final boolean denyOnStoreFailure;

	/** @param store where the windows live */
	public RateLimitMiddleware(RateLimitStore store) {
		this(store, new StoreFailures(false), false);
	}

	/**
	 * @param store where the windows live
	 * @param failures where failed store calls are counted and logged
	 * @param denyOnStoreFailure whether a request the store cannot count is refused ({@code true}) or allowed
	 */
	public RateLimitMiddleware(RateLimitStore store, StoreFailures failures, boolean denyOnStoreFailure) {
		this.store = store;
		this.failures = failures;
		this.denyOnStoreFailure = denyOnStoreFailure;
	}

	@Override
	public String name() {
		return "rateLimit";
	}

	private static final ConfigBlock<RateLimitSettings> CONFIG = ConfigBlock.of("rateLimit", RateLimitSettings.class);

	@Override
	public ConfigBlock<?> configBlock() {
		return CONFIG;
	}

	@Override
	public List<ErrorContract> errors() {
		return List.of(new ErrorContract("rateLimitExceeded", 429));
	}

	@Override
	public Behavior behavior() {
		return Behavior.MERGE;
	}

	@Override
	public int maxInlineArguments() {
		return 1;
	}

	@Override
	public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
		this.store.setMaximumEntries(definition.settings(CONFIG).maxEntries());
		ObjectNode pairs = ConfigPairs.parse("rateLimit", definition.config());
		boolean argument = !definition.arguments().isEmpty();
		Options options;
		try {
			options = Options.of(pairs, !argument);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidStepException(Objects.requireNonNull(ex.getMessage()));
		}
		return new Step(pairs, options);
	}

	/**
	 * One step's settings.
	 *
	 * @param template the key template, or {@code null} while an inline argument may still give it
	 */
	private record Options(boolean enabled, @Nullable KeyTemplate template, long limit, long burst, long window,
			@Nullable String scope) {

		/**
		 * @param complete whether the three required keys must be there (no inline argument may add them)
		 */
		static Options of(ObjectNode pairs, boolean complete) {
			boolean enabled = ConfigPairs.bool(pairs.get("enabled"), "enabled", true);
			boolean present = pairs.hasNonNull("keyTemplate") && pairs.hasNonNull("limit") && pairs.hasNonNull("window");
			if (!present) {
				if (complete && enabled) {
					throw new IllegalArgumentException(REQUIRED);
				}
				return new Options(enabled, null, 0, 0, 0, null);
			}
			JsonNode templateValue = pairs.get("keyTemplate");
			KeyTemplate template = KeyTemplate.compile(
					templateValue.isTextual() ? templateValue.textValue() : Json.write(templateValue), "unknown", "null");
			long limit;
			long burst;
			try {
				limit = ConfigPairs.count(pairs.get("limit"), "limit", 0);
				burst = ConfigPairs.count(pairs.get("burst"), "burst", 0);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("rateLimit: " + ex.getMessage());
			}
			Long window = ConfigPairs.seconds(pairs.get("window"));
			if (window == null) {
				throw new IllegalArgumentException("rateLimit: invalid window '" + pairs.get("window").asText() + "'");
			}
			JsonNode scope = pairs.get("scope");
			return new Options(enabled, template, limit, burst, Math.max(1, window),
					(scope == null || scope.isNull()) ? null : scope.asText());
		}

	}

	private final class Step implements ExecutableStep {

		private final ObjectNode pairs;

		private final Options options;

		Step(ObjectNode pairs, Options options) {
			this.pairs = pairs;
			this.options = options;
		}

		@Override
		public Mono<StepResult> execute(StepInput input) {
			JsonNode state = input.state();
			Options options = this.options;
			JsonNode argument = input.argument(0);
			if (argument != null && !argument.isNull()) {
				if (!argument.isObject()) {
					throw new IllegalArgumentException("rateLimit: the inline argument must be an object, not "
							+ argument.getNodeType().name().toLowerCase(Locale.ROOT));
				}
				ObjectNode merged = this.pairs.deepCopy();
				merged.setAll((ObjectNode) argument);
				options = Options.of(merged, true);
			}
			else if (options.template() == null && options.enabled()) {
				throw new IllegalArgumentException(REQUIRED);
			}
			// Merge of an empty object (or of a non-object state with itself) leaves the state as it is
			StepResult unchanged = StepResult.of(state.isObject() ? Json.NODES.objectNode() : state);
			if (!options.enabled()) {
				return Mono.just(unchanged);
			}
			// an enabled limit has its key template (Options.of)
			String key = Objects.requireNonNull(options.template()).render(state);
			long effective = options.limit() + options.burst();
			Options chosen = options;
			Mono<RateLimitStore.Window> hit = RateLimitMiddleware.this.store.hit(options.scope(), key, effective,
					Duration.ofSeconds(options.window()));
			if (hit instanceof Fuseable.ScalarCallable<?>) {
				RateLimitStore.Window window = Objects.requireNonNull(Monos.now(hit));
				return Mono.just(decide(window, key, effective, chosen, input, unchanged));
			}
			Duration length = Duration.ofSeconds(options.window());
			return hit.onErrorResume((ex) -> {
				RateLimitMiddleware.this.failures.record("rate-limit count", ex);
				return Mono.just(new RateLimitStore.Window(!RateLimitMiddleware.this.denyOnStoreFailure, -1, length));
			}).map((window) -> decide(window, key, effective, chosen, input, unchanged));
		}

		private StepResult decide(RateLimitStore.Window window, String key, long effective, Options options,
				StepInput input, StepResult unchanged) {
			long retryAfter = Math.max(1, (window.remaining().toMillis() + 999) / 1000);
			ObjectNode metadata = Json.NODES.objectNode();
			metadata.put("allowed", window.allowed());
			// a count of -1: the store could not count (docs/scaling.md#when-redis-goes-away)
			boolean counted = window.count() >= 0;
			metadata.put("remaining", !window.allowed() ? 0 : counted ? Math.max(0, effective - window.count()) : effective);
			metadata.put("limit", effective);
			metadata.put("retry_after", retryAfter);
			metadata.put("key", key);
			if (options.scope() != null) {
				metadata.put("scope", options.scope());
			}
			else {
				metadata.putNull("scope");
			}
			input.context().putMetadata("rate_limit", metadata);
			if (window.allowed()) {
				return unchanged;
			}
			String counts = counted ? window.count() + "/" + effective + " requests in " + options.window() + "s window"
					: "requests cannot be counted now";
			ObjectNode error = Errors.error("rateLimitExceeded",
					"Rate limit exceeded for key '" + key + "': " + counts + ". Retry after " + retryAfter + "s");
			error.put("key", key);
			error.put("limit", effective);
			error.put("retryAfter", retryAfter);
			return StepResult.failure(error);
		}

	}

}
