package dev.webpipe.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The WebPipe demo: serves the {@code .wp} files of {@code src/main/resources/routes/}, or those
 * of {@code --webpipe.routes-location=file:some/dir/}.
 */
@SpringBootApplication
public class DemoApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
