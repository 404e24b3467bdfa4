package dev.webpipe.demo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The home page in a real browser (docs/demo.md#the-home-page): headless Chromium, driven through Debian's
 * chromedriver (never a download), clicks Run on {@code /sequential} and {@code /parallel}, reads the answers and
 * compares the waterfall bars that the page drew from {@code Server-Timing}: the three GraphQL steps one after
 * another for one, side by side for the other. Skipped where no Chromium and chromedriver are installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class HomePageBrowserTest {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final ObjectMapper json = new ObjectMapper();

	private static WebDriver browser;

	private static Path profile;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void startBrowser() throws Exception {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"No browser here: the home page test needs Debian's chromium and chromium-driver "
						+ "(/usr/bin/chromium, /usr/bin/chromedriver; .ci/run installs them), so it is skipped");
		profile = Files.createTempDirectory("webpipe-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--no-first-run",
				"--user-data-dir=" + profile, "--window-size=1280,2000");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
		browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
	}

	@AfterAll
	static void stopBrowser() throws Exception {
		if (browser != null) {
			browser.quit();
		}
		if (profile != null) {
			FileSystemUtils.deleteRecursively(profile);
		}
	}

	@Test
	void sequentialBarsFollowEachOtherAndParallelBarsOverlap() throws Exception {
		browser.get("http://127.0.0.1:" + this.port + "/");
		List<Rectangle> sequential = run("/sequential");
		List<Rectangle> parallel = run("/parallel");

		sequential.sort(Comparator.comparingInt(Rectangle::getX));
		for (int i = 1; i < sequential.size(); i++) {
			Rectangle previous = sequential.get(i - 1);
			// the next one starts where the previous one ended, give or take two pixels of rounding
			assertThat(sequential.get(i).getX()).as("sequential bar %d starts after bar %d ends", i, i - 1)
				.isGreaterThanOrEqualTo(previous.getX() + previous.getWidth() - 2);
		}
		for (Rectangle a : parallel) {
			for (Rectangle b : parallel) {
				int overlap = Math.min(a.getX() + a.getWidth(), b.getX() + b.getWidth()) - Math.max(a.getX(), b.getX());
				// side by side: each pair shares at least half of the shorter bar
				assertThat(overlap).as("parallel bars overlap").isGreaterThanOrEqualTo(Math.min(a.getWidth(), b.getWidth()) / 2);
			}
		}
		((ChromeDriver) browser).executeScript("document.getElementById('ex-sequential').scrollIntoView()");
		Path screenshot = Path.of("target", "home-page.png");
		Files.createDirectories(screenshot.getParent());
		File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
	}

	/** Clicks Run on the example of {@code path}, checks its answer, returns its three GraphQL bars as drawn. */
	private List<Rectangle> run(String path) throws Exception {
		WebElement example = new WebDriverWait(browser, Duration.ofSeconds(20)).until((driver) -> driver
			.findElements(By.cssSelector(".example[data-path='" + path + "']"))
			.stream()
			.filter((element) -> !element.findElements(By.cssSelector("pre.source span")).isEmpty())
			.findFirst()
			.orElse(null));
		assertThat(example.findElement(By.cssSelector("pre.source")).getText()).contains("GET " + path)
			.contains("graphql");
		((ChromeDriver) browser).executeScript("arguments[0].scrollIntoView()", example);
		example.findElement(By.cssSelector("button.run[data-path='" + path + "']")).click();
		List<WebElement> bars = new WebDriverWait(browser, Duration.ofSeconds(20)).until((driver) -> {
			List<WebElement> drawn = example.findElements(By.cssSelector(".waterfall .bar[data-desc^='graphql ']"));
			return (drawn.size() == 3) ? drawn : null;
		});
		assertThat(example.findElement(By.cssSelector(".status")).getText()).startsWith("200");
		JsonNode answer = json.readTree(example.findElement(By.cssSelector("pre.answer")).getText());
		assertThat(answer.get("users")).hasSize(3);
		assertThat(answer.at("/stats/posts").asInt()).isEqualTo(4);
		assertThat(answer.get("posts")).hasSize(4);
		return new java.util.ArrayList<>(bars.stream().map(WebElement::getRect).toList());
	}

}
