package dev.sessionhistory.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;

/**
 * The service jars under test, as the reactor built them before this module. Each is
 * copied once per test run, so a rebuild of the services while the suite runs cannot pull
 * a jar out from under a running process.
 */
final class Jars {

	private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

	private Jars() {
	}

	static Path api() {
		return COPIES.computeIfAbsent("api-service", Jars::copy);
	}

	static Path worker() {
		return COPIES.computeIfAbsent("archiver-worker", Jars::copy);
	}

	private static Path copy(String module) {
		Path root = Path.of(System.getProperty("reliability.root", "..")).toAbsolutePath().normalize();
		Path jar = root.resolve(module).resolve("target").resolve(module + ".jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(module + ".jar is missing at " + jar
					+ ": build the services first (./mvnw -DskipTests package at the root; the reliability"
					+ " module runs after both services in a full ./mvnw verify)");
		}
		Path copy = Path.of("target", "jars", module + ".jar").toAbsolutePath();
		// A jar being rebuilt right now is incomplete for a moment: wait for a whole one.
		for (int attempt = 1; attempt <= 30; attempt++) {
			try {
				Files.createDirectories(copy.getParent());
				Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
				if (isBootJar(copy)) {
					return copy;
				}
			}
			catch (IOException ex) {
				// retried below
			}
			ServiceProcess.sleep(2000);
		}
		throw new IllegalStateException(jar + " is not a complete executable jar; rebuild the services");
	}

	private static boolean isBootJar(Path jar) {
		try (JarFile file = new JarFile(jar.toFile())) {
			return file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Main-Class") != null;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
