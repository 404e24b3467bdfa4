package dev.webpipe.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.util.AntPathMatcher;

import dev.webpipe.language.SourceFile;

/**
 * Finds the {@code .wp} files of {@code webpipe.routes-location} and names them for messages:
 * relative to the folder for a location ending in {@code /} ({@code orders.wp} under
 * {@code file:/srv/app/routes/} or {@code classpath:/routes/}), relative to the classpath root for
 * a classpath pattern ({@code routes/orders.wp} under the default
 * {@code classpath*:/routes/**}{@code /*.wp}).
 */
final class RouteSources {

	private static final AntPathMatcher matcher = new AntPathMatcher();

	private RouteSources() {
	}

	/** A location ending in {@code /} means every {@code **}{@code /*.wp} below it. */
	static String pattern(String location) {
		String trimmed = location.trim();
		return trimmed.endsWith("/") ? trimmed + "**/*.wp" : trimmed;
	}

	/** Whether a location finds at least one file. */
	static boolean exists(ResourcePatternResolver resolver, String location) {
		try {
			for (Resource resource : resolver.getResources(pattern(location))) {
				if (resource.exists() && resource.isReadable()) {
					return true;
				}
			}
			return false;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * The files of one location, sorted by file name.
	 * @throws IOException when the location cannot be read
	 */
	static List<SourceFile> load(ResourcePatternResolver resolver, String location) throws IOException {
		String pattern = pattern(location);
		String root = rootDir(pattern);
		Map<String, URL> roots = new LinkedHashMap<>();
		for (Resource base : resolver.getResources(root)) {
			if (base.exists()) {
				roots.put(base.getURL().toExternalForm(), base.getURL());
			}
		}
		// A folder location names files relative to the folder; a classpath pattern relative to the
		// classpath root, so the default names files routes/orders.wp.
		boolean classpathPattern = pattern.startsWith("classpath") && !location.trim().endsWith("/");
		String prefix = classpathPattern ? stripPrefix(root) : "";
		List<SourceFile> files = new ArrayList<>();
		for (Resource resource : resolver.getResources(pattern)) {
			if (!resource.exists() || !resource.isReadable()) {
				continue;
			}
			String url = resource.getURL().toExternalForm();
			String name = null;
			for (String rootUrl : roots.keySet()) {
				String base = rootUrl.endsWith("/") ? rootUrl : rootUrl + "/";
				if (url.startsWith(base)) {
					name = prefix + url.substring(base.length());
					break;
				}
			}
			if (name == null) {
				// a resource that a *.wp pattern found has a file name
				name = Objects.requireNonNull(resource.getFilename(), url);
			}
			try (InputStream in = resource.getInputStream()) {
				files.add(new SourceFile(decode(name), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
			}
		}
		files.sort(Comparator.comparing(SourceFile::name));
		return files;
	}

	/** The part of a pattern before its first wildcard segment, ending in {@code /}. */
	static String rootDir(String pattern) {
		int prefixEnd = pattern.indexOf(':') + 1;
		int rootDirEnd = pattern.length();
		while (rootDirEnd > prefixEnd && matcher.isPattern(pattern.substring(prefixEnd, rootDirEnd))) {
			rootDirEnd = pattern.lastIndexOf('/', rootDirEnd - 2) + 1;
		}
		if (rootDirEnd == 0) {
			rootDirEnd = prefixEnd;
		}
		String root = pattern.substring(0, rootDirEnd);
		if (root.equals(pattern) && !pattern.endsWith("/")) {
			return pattern.substring(0, pattern.lastIndexOf('/') + 1);
		}
		return root;
	}

	/** {@code classpath*:/routes/} to {@code routes/}. */
	private static String stripPrefix(String root) {
		String path = root.substring(root.indexOf(':') + 1);
		while (path.startsWith("/")) {
			path = path.substring(1);
		}
		return path;
	}

	private static String decode(String name) {
		return java.net.URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

}
