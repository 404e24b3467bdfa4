package dev.webpipe.autoconfigure;

/** {@code webpipe.routes-location} was set explicitly and finds no {@code .wp} file. */
class RoutesNotFoundException extends IllegalStateException {

	private final String location;

	public RoutesNotFoundException(String location) {
		super("No .wp file found at webpipe.routes-location '" + location + "'");
		this.location = location;
	}

	public String location() {
		return this.location;
	}

}
