package dev.webpipe.middleware;

/** Two application beans declare a middleware with the same name. */
public class DuplicateMiddlewareException extends IllegalStateException {

	private final String middleware;

	private final String firstBean;

	private final String secondBean;

	public DuplicateMiddlewareException(String middleware, String firstBean, String secondBean) {
		super("Two middleware beans are named '" + middleware + "': '" + firstBean + "' and '" + secondBean + "'");
		this.middleware = middleware;
		this.firstBean = firstBean;
		this.secondBean = secondBean;
	}

	public String middleware() {
		return this.middleware;
	}

	public String firstBean() {
		return this.firstBean;
	}

	public String secondBean() {
		return this.secondBean;
	}

}
