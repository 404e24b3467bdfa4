package dev.webpipe.middleware;

/** An application middleware bean uses a word of the language as its name. */
public class ReservedMiddlewareNameException extends IllegalStateException {

	private final String middleware;

	private final String bean;

	public ReservedMiddlewareNameException(String middleware, String bean) {
		super("Middleware bean '" + bean + "' uses the reserved name '" + middleware + "'");
		this.middleware = middleware;
		this.bean = bean;
	}

	public String middleware() {
		return this.middleware;
	}

	public String bean() {
		return this.bean;
	}

}
