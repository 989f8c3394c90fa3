package dev.sessionhistory.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the Dockerfile consistent with the build and with how the services are best run,
 * since it cannot be built where there is no Docker engine.
 */
class DockerfileTests {

	private static final Pattern TEMURIN = Pattern.compile("^FROM eclipse-temurin:(\\d+)-(jdk|jre)\\b");

	private final Path root = root();

	private final List<String> lines = read(this.root.resolve("Dockerfile"));

	@Test
	void theBuildStageCopiesEveryModuleOfTheReactor() throws IOException {
		Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(this.root.resolve("pom.xml")));
		List<String> copied = this.lines.stream()
			.filter((line) -> line.startsWith("COPY ") && !line.contains("--from"))
			.map((line) -> line.split("\\s+")[1])
			.toList();
		int count = 0;
		while (modules.find()) {
			String module = modules.group(1);
			assertThat(copied).as("the Dockerfile copies module " + module)
				.containsAnyOf(module, module + "/pom.xml");
			count++;
		}
		assertThat(count).isGreaterThanOrEqualTo(3);
	}

	@Test
	void servicesAreBuiltOnTheOldestJavaAndRunOnTheFastestWithNettysFlag() {
		List<Integer> versions = new ArrayList<>();
		for (String line : this.lines) {
			Matcher image = TEMURIN.matcher(line);
			if (image.find()) {
				versions.add(Integer.parseInt(image.group(1)));
			}
		}
		assertThat(versions).as("the build stage and the runtime stage").hasSize(2);
		assertThat(versions.get(0)).as("the build stage: the Java the services are compiled for").isEqualTo(17);
		assertThat(versions.get(1)).as("the runtime: virtual threads need 21").isGreaterThanOrEqualTo(21);
		String entrypoint = this.lines.stream().filter((line) -> line.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
		if (versions.get(1) >= 24) {
			assertThat(entrypoint).contains("\"--sun-misc-unsafe-memory-access=allow\"");
		}
		assertThat(entrypoint).endsWith("\"-jar\", \"/app/service.jar\"]");
	}

	private static Path root() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.exists(dir.resolve("Dockerfile"))) {
			dir = dir.getParent();
		}
		assertThat(dir).as("a Dockerfile in this directory or a parent").isNotNull();
		return dir;
	}

	private static List<String> read(Path file) {
		try {
			return Files.readAllLines(file).stream().map(String::strip).toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read " + file, ex);
		}
	}

}
