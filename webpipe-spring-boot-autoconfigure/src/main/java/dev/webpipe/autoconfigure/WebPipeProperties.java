package dev.webpipe.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.webpipe.middleware.log.HeaderRedaction;
import dev.webpipe.web.ErrorDetails;
import dev.webpipe.web.RequestStateReader;

/**
 * Configuration properties of WebPipe for Spring ({@code webpipe.*}).
 */
@ConfigurationProperties("webpipe")
public class WebPipeProperties {

	/** The default location of {@code .wp} files. */
	public static final String DEFAULT_ROUTES_LOCATION = "classpath*:/routes/**/*.wp";

	/**
	 * Whether WebPipe loads .wp files and registers routes at all.
	 */
	private boolean enabled = true;

	/**
	 * Whether the .wp files are checked before the application context starts, so that a syntax, jq or Lua error
	 * stops start-up at once; turn it off when an application bean replaces the built-in jq or lua.
	 */
	private boolean earlyCheck = true;

	/**
	 * Spring resource locations of the .wp files. A location ending in '/' means every **&#47;*.wp
	 * below it. All files form one program, processed in file-name order.
	 */
	private List<String> routesLocation = new ArrayList<>(List.of(DEFAULT_ROUTES_LOCATION));

	/**
	 * Environment name: $context.env, and one of the names @env accepts (the active Spring
	 * profiles are the others).
	 */
	private @Nullable String env;

	/**
	 * Whether responses carry a Server-Timing header with the duration of each step and each
	 * joined task.
	 */
	private boolean serverTiming = false;

	/**
	 * Overrides of the keys of config blocks of the .wp files, as webpipe.config.<block>.<key>.
	 */
	private Map<String, Map<String, String>> config = new LinkedHashMap<>();

	private final Async async = new Async();

	private final FeatureFlags featureFlags = new FeatureFlags();

	private final Fetch fetch = new Fetch();

	private final Graphql graphql = new Graphql();

	private final Jq jq = new Jq();

	private final Lua lua = new Lua();

	private final Errors errors = new Errors();

	private final Log log = new Log();

	private final Request request = new Request();

	private final Store store = new Store();

	private final RateLimit rateLimit = new RateLimit();

	private final Pg pg = new Pg();

	private final Foreach foreach = new Foreach();

	private final Auth auth = new Auth();

	private final Reload reload = new Reload();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isEarlyCheck() {
		return this.earlyCheck;
	}

	public void setEarlyCheck(boolean earlyCheck) {
		this.earlyCheck = earlyCheck;
	}

	public List<String> getRoutesLocation() {
		return this.routesLocation;
	}

	public void setRoutesLocation(List<String> routesLocation) {
		this.routesLocation = routesLocation;
	}

	public @Nullable String getEnv() {
		return this.env;
	}

	public void setEnv(@Nullable String env) {
		this.env = env;
	}

	public boolean isServerTiming() {
		return this.serverTiming;
	}

	public void setServerTiming(boolean serverTiming) {
		this.serverTiming = serverTiming;
	}

	public Map<String, Map<String, String>> getConfig() {
		return this.config;
	}

	public void setConfig(Map<String, Map<String, String>> config) {
		this.config = config;
	}

	public Async getAsync() {
		return this.async;
	}

	public FeatureFlags getFeatureFlags() {
		return this.featureFlags;
	}

	public Fetch getFetch() {
		return this.fetch;
	}

	public Graphql getGraphql() {
		return this.graphql;
	}

	public Jq getJq() {
		return this.jq;
	}

	public Lua getLua() {
		return this.lua;
	}

	public Store getStore() {
		return this.store;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	public Pg getPg() {
		return this.pg;
	}

	public Foreach getForeach() {
		return this.foreach;
	}

	public Auth getAuth() {
		return this.auth;
	}

	public Reload getReload() {
		return this.reload;
	}

	public Errors getErrors() {
		return this.errors;
	}

	public Log getLog() {
		return this.log;
	}

	public Request getRequest() {
		return this.request;
	}

	/** What error responses show. */
	public static class Errors {

		/**
		 * What an unhandled or fatal error response shows the client: never (types and generic messages only) or
		 * always (every error as it is).
		 */
		private ErrorDetails includeDetails = ErrorDetails.NEVER;

		public ErrorDetails getIncludeDetails() {
			return this.includeDetails;
		}

		public void setIncludeDetails(ErrorDetails includeDetails) {
			this.includeDetails = includeDetails;
		}

	}

	/** What log and debug steps write. */
	public static class Log {

		/**
		 * Header names whose values log and debug steps write as ***.
		 */
		private List<String> redactHeaders = new ArrayList<>(HeaderRedaction.DEFAULT_HEADERS);

		public List<String> getRedactHeaders() {
			return this.redactHeaders;
		}

		public void setRedactHeaders(List<String> redactHeaders) {
			this.redactHeaders = redactHeaders;
		}

	}

	/** How request bodies are read. */
	public static class Request {

		/**
		 * Deepest nesting of a JSON request body; deeper bodies answer 400.
		 */
		private int maxNestingDepth = RequestStateReader.DEFAULT_MAX_NESTING_DEPTH;

		public int getMaxNestingDepth() {
			return this.maxNestingDepth;
		}

		public void setMaxNestingDepth(int maxNestingDepth) {
			this.maxNestingDepth = maxNestingDepth;
		}

	}

	/** Limits of @async tasks. */
	public static class Async {

		/**
		 * Upper bound for every @async task.
		 */
		private Duration taskTimeout = Duration.ofSeconds(30);

		/**
		 * Upper bound for a task after it became detached (response already sent).
		 */
		private Duration detachedTimeout = Duration.ofSeconds(30);

		/**
		 * In-flight detached @async tasks per application; a task detached beyond it is
		 * cancelled at once (WARN at most once a minute, counter).
		 */
		private int maxDetached = 256;

		public int getMaxDetached() {
			return this.maxDetached;
		}

		public void setMaxDetached(int maxDetached) {
			this.maxDetached = maxDetached;
		}

		public Duration getTaskTimeout() {
			return this.taskTimeout;
		}

		public void setTaskTimeout(Duration taskTimeout) {
			this.taskTimeout = taskTimeout;
		}

		public Duration getDetachedTimeout() {
			return this.detachedTimeout;
		}

		public void setDetachedTimeout(Duration detachedTimeout) {
			this.detachedTimeout = detachedTimeout;
		}

	}

	/** The featureFlags pipeline. */
	public static class FeatureFlags {

		/**
		 * Bound for the featureFlags pipeline.
		 */
		private Duration timeout = Duration.ofMillis(250);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/** Outbound HTTP of fetch and remote graphql steps. */
	public static class Fetch {

		/**
		 * Default timeout of fetch and of remote (HTTP) graphql calls.
		 */
		private Duration defaultTimeout = Duration.ofSeconds(10);

		/**
		 * Larger upstream bodies fail with networkError instead of being buffered.
		 */
		private DataSize maxResponseSize = DataSize.ofMegabytes(10);

		/**
		 * Hosts that fetch and remote graphql may call ('host', 'host:port' or '*.domain'); empty
		 * means any host.
		 */
		private List<String> allowedHosts = new ArrayList<>();

		/**
		 * Hosts that fetch and remote graphql may never call (same form, checked first).
		 */
		private List<String> deniedHosts = new ArrayList<>();

		/**
		 * Whether to refuse loopback, link-local, private and unique-local addresses after DNS
		 * resolution (hosts listed explicitly in allowed-hosts and relative URLs are exempt).
		 */
		private boolean denyPrivateAddresses = false;

		/**
		 * Outbound connection pool size per upstream host and port; waiting for a connection
		 * counts in the call's timeout.
		 */
		private int maxConnections = 500;

		public List<String> getAllowedHosts() {
			return this.allowedHosts;
		}

		public void setAllowedHosts(List<String> allowedHosts) {
			this.allowedHosts = allowedHosts;
		}

		public List<String> getDeniedHosts() {
			return this.deniedHosts;
		}

		public void setDeniedHosts(List<String> deniedHosts) {
			this.deniedHosts = deniedHosts;
		}

		public boolean isDenyPrivateAddresses() {
			return this.denyPrivateAddresses;
		}

		public void setDenyPrivateAddresses(boolean denyPrivateAddresses) {
			this.denyPrivateAddresses = denyPrivateAddresses;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public Duration getDefaultTimeout() {
			return this.defaultTimeout;
		}

		public void setDefaultTimeout(Duration defaultTimeout) {
			this.defaultTimeout = defaultTimeout;
		}

		public DataSize getMaxResponseSize() {
			return this.maxResponseSize;
		}

		public void setMaxResponseSize(DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
		}

	}

	/** The target of graphql steps. */
	public static class Graphql {

		/**
		 * Absolute URL of the GraphQL endpoint that graphql steps query; unset means config
		 * graphql { endpoint }, else the application's own Spring GraphQL schema.
		 */
		private @Nullable String endpoint;

		public @Nullable String getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(@Nullable String endpoint) {
			this.endpoint = endpoint;
		}

	}

	/** The budget of each jq evaluation. */
	public static class Jq {

		/**
		 * Longest jq evaluation, checked at its checkpoints; exceeding it is a jqError.
		 */
		private Duration maxEvaluationTime = Duration.ofSeconds(1);

		/**
		 * Most values one jq evaluation may produce at its checkpoints; exceeding it is a jqError.
		 */
		private long maxEmittedValues = 1_000_000L;

		public Duration getMaxEvaluationTime() {
			return this.maxEvaluationTime;
		}

		public void setMaxEvaluationTime(Duration maxEvaluationTime) {
			this.maxEvaluationTime = maxEvaluationTime;
		}

		public long getMaxEmittedValues() {
			return this.maxEmittedValues;
		}

		public void setMaxEmittedValues(long maxEmittedValues) {
			this.maxEmittedValues = maxEmittedValues;
		}

	}

	/** The lua middleware. */
	public static class Lua {

		/**
		 * Lua modules preloaded as globals (file stem = global name).
		 */
		private String scriptsLocation = "classpath*:/routes/scripts/*.lua";

		/**
		 * Instruction budget of one Lua execution; exceeding it is a luaError.
		 */
		private long maxInstructions = 10_000_000L;

		/**
		 * Longest Lua execution, pattern matching included and time waiting for executeSql excluded;
		 * exceeding it is a luaError.
		 */
		private Duration maxExecutionTime = Duration.ofSeconds(5);

		/**
		 * Most bytes one Lua execution's thread may allocate; exceeding it is a luaError.
		 */
		private DataSize maxMemory = DataSize.ofMegabytes(32);

		public Duration getMaxExecutionTime() {
			return this.maxExecutionTime;
		}

		public void setMaxExecutionTime(Duration maxExecutionTime) {
			this.maxExecutionTime = maxExecutionTime;
		}

		public DataSize getMaxMemory() {
			return this.maxMemory;
		}

		public void setMaxMemory(DataSize maxMemory) {
			this.maxMemory = maxMemory;
		}

		public String getScriptsLocation() {
			return this.scriptsLocation;
		}

		public void setScriptsLocation(String scriptsLocation) {
			this.scriptsLocation = scriptsLocation;
		}

		public long getMaxInstructions() {
			return this.maxInstructions;
		}

		public void setMaxInstructions(long maxInstructions) {
			this.maxInstructions = maxInstructions;
		}

	}

	/** Where cache entries and rate-limit windows live (docs/scaling.md). */
	public static class Store {

		/**
		 * Where cache entries and rate-limit windows live: 'local' (this process) or 'redis' (the
		 * application's Redis, shared by every instance).
		 */
		private StoreType type = StoreType.LOCAL;

		/**
		 * Upper bound of every call to the Redis store; a call that takes longer counts as a store failure.
		 */
		private Duration timeout = Duration.ofMillis(250);

		/**
		 * With the Redis store, the delay between two attempts to reconnect to Redis after it went away.
		 */
		private Duration reconnectDelay = Duration.ofSeconds(1);

		public StoreType getType() {
			return this.type;
		}

		public void setType(StoreType type) {
			this.type = type;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getReconnectDelay() {
			return this.reconnectDelay;
		}

		public void setReconnectDelay(Duration reconnectDelay) {
			this.reconnectDelay = reconnectDelay;
		}

	}

	/** The pg middleware. */
	public static class Pg {

		/**
		 * Longest SQL statement; then it is cancelled in PostgreSQL and the step fails with
		 * timeoutError (sqlstate 57014).
		 */
		private Duration statementTimeout = Duration.ofSeconds(30);

		public Duration getStatementTimeout() {
			return this.statementTimeout;
		}

		public void setStatementTimeout(Duration statementTimeout) {
			this.statementTimeout = statementTimeout;
		}

	}

	/** The kinds of store of cache entries and rate-limit windows. */
	public enum StoreType {

		/** In this process (Caffeine), per instance. */
		LOCAL,

		/** In the application's Redis, shared by every instance. */
		REDIS

	}

	/** The rateLimit middleware. */
	public static class RateLimit {

		/**
		 * What rateLimit steps do with a request when the store cannot count it: 'allow' or 'deny' (429).
		 */
		private OnStoreFailure onStoreFailure = OnStoreFailure.ALLOW;

		public OnStoreFailure getOnStoreFailure() {
			return this.onStoreFailure;
		}

		public void setOnStoreFailure(OnStoreFailure onStoreFailure) {
			this.onStoreFailure = onStoreFailure;
		}

	}

	/** The foreach stage. */
	public static class Foreach {

		/**
		 * Longest array a foreach runs over; longer is a foreachError.
		 */
		private int maxItems = 1000;

		public int getMaxItems() {
			return this.maxItems;
		}

		public void setMaxItems(int maxItems) {
			this.maxItems = maxItems;
		}

	}

	/** What a rateLimit step does when the store fails. */
	public enum OnStoreFailure {

		/** The request goes on, uncounted. */
		ALLOW,

		/** The request is refused with rateLimitExceeded (429). */
		DENY

	}

	/** Password hashing of auth steps. */
	public static class Auth {

		/**
		 * How many Argon2id password hashes (about 16 MiB and tens of milliseconds of CPU each) run
		 * at once; the default is the number of processors.
		 */
		private int maxConcurrentHashes = Runtime.getRuntime().availableProcessors();

		/**
		 * How many more hashes may wait for a free slot; beyond that a login or registration fails
		 * at once with authError "Too many login attempts".
		 */
		private int maxQueuedHashes = 64;

		public int getMaxConcurrentHashes() {
			return this.maxConcurrentHashes;
		}

		public void setMaxConcurrentHashes(int maxConcurrentHashes) {
			this.maxConcurrentHashes = maxConcurrentHashes;
		}

		public int getMaxQueuedHashes() {
			return this.maxQueuedHashes;
		}

		public void setMaxQueuedHashes(int maxQueuedHashes) {
			this.maxQueuedHashes = maxQueuedHashes;
		}

	}

	/** Hot reload of the .wp files and Lua scripts, for development (docs/reload.md). */
	public static class Reload {

		/**
		 * Whether changes to the .wp files of file: routes locations and to the Lua scripts of a
		 * file: scripts location are compiled and served while the application runs.
		 */
		private boolean enabled = false;

		/**
		 * How long the watched folders must stay quiet after a change before the program is
		 * compiled again, so that an editor's burst of writes makes one reload.
		 */
		private Duration debounce = Duration.ofMillis(100);

		/**
		 * Longest wait for the requests of a replaced program to end before its resources (such as
		 * a pool from config pg) are closed anyway.
		 */
		private Duration drainTimeout = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getDebounce() {
			return this.debounce;
		}

		public void setDebounce(Duration debounce) {
			this.debounce = debounce;
		}

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

	}

}
