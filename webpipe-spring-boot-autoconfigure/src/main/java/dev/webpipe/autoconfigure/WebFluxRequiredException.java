package dev.webpipe.autoconfigure;

import java.util.List;

/** A servlet (Spring MVC) application has {@code .wp} files, which WebPipe serves only through WebFlux. */
class WebFluxRequiredException extends IllegalStateException {

	private final List<String> files;

	public WebFluxRequiredException(List<String> files) {
		super("WebPipe serves .wp routes through Spring WebFlux, but this is a servlet (Spring MVC) application; "
				+ "found " + files);
		this.files = List.copyOf(files);
	}

	public List<String> files() {
		return this.files;
	}

}
