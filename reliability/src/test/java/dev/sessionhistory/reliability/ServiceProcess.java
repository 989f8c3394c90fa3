package dev.sessionhistory.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service jar run as a separate process ({@code java -Xmx256m … -jar …}) on a loopback
 * port, with its actuator on a management port of its own, its output appended to a log file. {@link #kill()} is SIGKILL; {@link #start()} runs
 * it again with the same arguments and port.
 */
final class ServiceProcess implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(240);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final Path jar;

	private final int port;

	private final int managementPort;

	private final List<String> args;

	private final Path log;

	private Process process;

	private ServiceProcess(String name, Path jar, int port, int managementPort, List<String> args, Path log) {
		this.name = name;
		this.jar = jar;
		this.port = port;
		this.managementPort = managementPort;
		this.args = args;
		this.log = log;
	}

	/** Prepares the process without starting it; {@link #start()} runs it. */
	static ServiceProcess of(String name, Path jar, int port, List<String> args, Path logDir) {
		return Cleanup.register(
				new ServiceProcess(name, jar, port, Stack.freePort(), args, logDir.resolve(name + ".log")));
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/** Launches the process; {@link #awaitReady()} waits for it. */
	synchronized ServiceProcess start() {
		// C1 only and the serial collector: start-up is most of the suite's CPU on 2 cores, and
		// neither flag changes what the service does.
		List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
				"-XX:+UseSerialGC", "-jar", this.jar.toString(), "--server.port=" + this.port,
				"--management.server.port=" + this.managementPort));
		command.addAll(this.args);
		try {
			Files.createDirectories(this.log.getParent());
			Files.writeString(this.log, "=== start " + java.time.Instant.now() + "\n",
					java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + this.name, ex);
		}
		return this;
	}

	/**
	 * Waits until {@code /actuator/health} answers 200 on the management port (which starts
	 * after the service port), failing with the log's tail.
	 */
	ServiceProcess awaitReady() {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			Process current;
			synchronized (this) {
				current = this.process;
			}
			if (current == null || !current.isAlive()) {
				throw new IllegalStateException(this.name + " exited during start-up; log:\n" + tail());
			}
			if (get(managementUrl() + "/actuator/health") == 200) {
				return this;
			}
			sleep(250);
		}
		throw new IllegalStateException(this.name + " not healthy within " + STARTUP + "; log:\n" + tail());
	}

	/** SIGKILL: no shutdown hook, no graceful stop, whatever was in flight is cut. */
	synchronized void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			waitFor(this.process);
			this.process = null;
		}
	}

	boolean isAlive() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	/**
	 * The text of {@code /actuator/prometheus} of the management port, failing when it
	 * cannot be had after a few tries.
	 */
	String scrape() {
		return management("/actuator/prometheus", 200);
	}

	/** The body of {@code /actuator/health} of the management port (with details), up or down. */
	String health() {
		return management("/actuator/health", 200, 503);
	}

	private String management(String path, int... statuses) {
		String failure = "";
		for (int attempt = 1; attempt <= 5; attempt++) {
			try {
				HttpResponse<String> response = HTTP.send(
						HttpRequest.newBuilder(URI.create(managementUrl() + path))
							.timeout(Duration.ofSeconds(10))
							.build(),
						HttpResponse.BodyHandlers.ofString());
				int status = response.statusCode();
				if (java.util.Arrays.stream(statuses).anyMatch((expected) -> expected == status)) {
					return response.body();
				}
				failure = "status " + response.statusCode() + ": " + response.body();
			}
			catch (IOException ex) {
				failure = ex.toString();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep(500);
		}
		throw new IllegalStateException("No " + path + " from " + this + ": " + failure);
	}

	String logText() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "";
		}
	}

	@Override
	public void close() {
		kill();
	}

	@Override
	public String toString() {
		return this.name + " on port " + this.port;
	}

	private String managementUrl() {
		return "http://127.0.0.1:" + this.managementPort;
	}

	private int get(String url) {
		try {
			return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private String tail() {
		List<String> lines = logText().lines().toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
	}

	private static String javaBin() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static void waitFor(Process process) {
		try {
			process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
