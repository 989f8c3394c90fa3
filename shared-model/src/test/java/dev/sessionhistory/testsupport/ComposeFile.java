package dev.sessionhistory.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The repository's {@code docker-compose.yml}, read as data so tests can keep it consistent
 * with the code (it cannot be run where there is no Docker engine).
 */
public final class ComposeFile {

	private final Map<String, Object> root;

	private ComposeFile(Map<String, Object> root) {
		this.root = root;
	}

	/** Reads {@code docker-compose.yml} from the first of this directory and its parents that has one. */
	public static ComposeFile load() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("No docker-compose.yml above " + Path.of("").toAbsolutePath());
		}
		try (InputStream in = Files.newInputStream(dir.resolve("docker-compose.yml"))) {
			return new ComposeFile(new Yaml().load(in));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public Map<String, Object> service(String name) {
		Map<String, Object> service = map(map(this.root, "services"), name);
		if (service.isEmpty()) {
			throw new IllegalStateException("docker-compose.yml has no service '" + name + "'");
		}
		return service;
	}

	public List<String> serviceNames() {
		return List.copyOf(map(this.root, "services").keySet());
	}

	/** The service's environment, values as strings. */
	public Map<String, String> environment(String name) {
		return map(service(name), "environment").entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> String.valueOf(entry.getValue())));
	}

	/** The service's command as a list of words (empty when it has none). */
	public List<String> command(String name) {
		Object command = service(name).get("command");
		if (command instanceof List<?> words) {
			return words.stream().map(String::valueOf).toList();
		}
		return (command != null) ? List.of(String.valueOf(command).split("\\s+")) : List.of();
	}

	/** {@code depends_on} of the service: dependency → condition. */
	public Map<String, String> dependsOn(String name) {
		return map(service(name), "depends_on").entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey,
					(entry) -> String.valueOf(((Map<?, ?>) entry.getValue()).get("condition"))));
	}

	/**
	 * The variables of the service's environment that set no property the application
	 * knows of: those in any {@code META-INF/spring-configuration-metadata.json} on the
	 * class path (the application's own and Spring Boot's), matched the way Spring Boot
	 * binds environment variables.
	 */
	public List<String> unboundVariables(String name) {
		List<ConfigurationPropertyName> known = knownProperties();
		return environment(name).entrySet().stream().filter((variable) -> {
			ConfigurationPropertySource source = ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
					"compose", Map.<String, Object>of(variable.getKey(), variable.getValue())));
			return known.stream().noneMatch((property) -> source.getConfigurationProperty(property) != null);
		}).map(Map.Entry::getKey).sorted().toList();
	}

	/**
	 * Where the service's block disagrees with the {@code server.port} and
	 * {@code management.server.port} of the {@code application.yml} on the class path: its
	 * {@code SERVER_PORT} and {@code MANAGEMENT_SERVER_PORT}, its health check URL (the
	 * management port's health) and, if it publishes ports, the published ones (the
	 * service port, never the management port).
	 */
	public List<String> portMismatches(String name) {
		PropertySource<?> application;
		try {
			application = new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))
				.get(0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String port = String.valueOf(application.getProperty("server.port"));
		String managementPort = String.valueOf(application.getProperty("management.server.port"));
		Map<String, Object> service = service(name);
		Map<String, String> environment = environment(name);
		List<String> mismatches = new ArrayList<>();
		if (!port.equals(environment.get("SERVER_PORT"))) {
			mismatches.add("SERVER_PORT is " + environment.get("SERVER_PORT") + ", not " + port);
		}
		if (!managementPort.equals(environment.get("MANAGEMENT_SERVER_PORT"))) {
			mismatches.add("MANAGEMENT_SERVER_PORT is " + environment.get("MANAGEMENT_SERVER_PORT") + ", not "
					+ managementPort);
		}
		if (!String.valueOf(service.get("healthcheck")).contains("localhost:" + managementPort + "/actuator/health")) {
			mismatches.add("the health check does not ask localhost:" + managementPort + "/actuator/health");
		}
		if (service.containsKey("ports") && !String.valueOf(service.get("ports")).contains(port + ":" + port)) {
			mismatches.add("ports " + service.get("ports") + " do not publish " + port);
		}
		if (String.valueOf(service.get("ports")).contains(":" + managementPort)) {
			mismatches.add("ports " + service.get("ports") + " publish the management port " + managementPort);
		}
		return mismatches;
	}

	private static List<ConfigurationPropertyName> knownProperties() {
		JsonMapper json = JsonMapper.shared();
		try {
			Enumeration<URL> files = ComposeFile.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json");
			List<ConfigurationPropertyName> names = new ArrayList<>();
			while (files.hasMoreElements()) {
				try (InputStream in = files.nextElement().openStream()) {
					for (JsonNode property : json.readTree(in).path("properties")) {
						ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property.path("name").asString());
						if (name != null) {
							names.add(name);
						}
					}
				}
			}
			return names;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Map<String, Object> parent, String key) {
		Object value = (parent != null) ? parent.get(key) : null;
		return (value instanceof Map<?, ?> child) ? (Map<String, Object>) child : Map.of();
	}

}
