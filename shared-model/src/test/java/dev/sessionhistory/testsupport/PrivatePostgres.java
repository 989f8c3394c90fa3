package dev.sessionhistory.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server process of a test's own (initdb + pg_ctl from the installed
 * binaries), on a free loopback port with trust authentication, that the test may stop and
 * restart. PostgreSQL refuses to run as root, so as root it runs as the {@code postgres}
 * user.
 */
public final class PrivatePostgres implements AutoCloseable {

	private final int port;

	private final Path dir;

	private final Path bin;

	private PrivatePostgres(int port, Path dir, Path bin) {
		this.port = port;
		this.dir = dir;
		this.bin = bin;
	}

	public static PrivatePostgres start() {
		try {
			Path bin = findBinaries();
			Path dir = Files.createTempDirectory("private-postgres");
			PrivatePostgres postgres = new PrivatePostgres(ServerProcesses.freePort(), dir, bin);
			postgres.initialise();
			postgres.restart();
			return postgres;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	public void createDatabase(String name) {
		try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + name, ex);
		}
	}

	/** Stops the server in immediate mode: connections are cut, nothing is shut down cleanly. */
	public synchronized void stop() {
		if (ServerProcesses.accepts(this.port)) {
			ServerProcesses.run(asOwner(List.of(this.bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m",
					"immediate", "-w", "stop")), log());
		}
		ServerProcesses.awaitPort(this.port, false, Duration.ofSeconds(15), log());
	}

	/** Starts the server (again) on the same port and data directory. */
	public synchronized void restart() {
		if (ServerProcesses.accepts(this.port)) {
			stop();
		}
		// fsync=off: tests kill processes, not the machine, so committed work survives in the OS cache.
		String options = "-p " + this.port + " -k " + this.dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
				+ " -c max_connections=100";
		ServerProcesses.run(asOwner(List.of(this.bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-o",
				options, "-l", log().toString(), "-w", "-t", "60", "start")), this.dir.resolve("pg_ctl.log"));
		ServerProcesses.awaitPort(this.port, true, Duration.ofSeconds(30), log());
	}

	@Override
	public synchronized void close() {
		stop();
		ServerProcesses.deleteTree(this.dir);
	}

	private void initialise() throws IOException {
		Files.createFile(log());
		if (isRoot()) {
			ServerProcesses.run(List.of("chown", "-R", "postgres:postgres", this.dir.toString()),
					this.dir.resolve("chown.log"));
		}
		ServerProcesses.run(asOwner(List.of(this.bin.resolve("initdb").toString(), "-D", data().toString(), "-A",
				"trust", "-U", "postgres", "-E", "UTF8", "--no-sync")), this.dir.resolve("initdb.log"));
	}

	private Path data() {
		return this.dir.resolve("data");
	}

	private Path log() {
		return this.dir.resolve("postgres.log");
	}

	private static List<String> asOwner(List<String> command) {
		if (!isRoot()) {
			return command;
		}
		List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
		wrapped.addAll(command);
		return wrapped;
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static Path findBinaries() throws IOException {
		Path root = Path.of("/usr/lib/postgresql");
		if (Files.isDirectory(root)) {
			try (Stream<Path> versions = Files.list(root)) {
				List<Path> bins = versions.map((version) -> version.resolve("bin"))
					.filter((bin) -> Files.isExecutable(bin.resolve("pg_ctl")))
					.sorted(Comparator.comparing((Path bin) -> numericVersion(bin.getParent())).reversed())
					.toList();
				if (!bins.isEmpty()) {
					return bins.get(0);
				}
			}
		}
		throw new IllegalStateException("No PostgreSQL server binaries (pg_ctl, initdb) under " + root
				+ "; install the postgresql package");
	}

	private static int numericVersion(Path dir) {
		try {
			return Integer.parseInt(dir.getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
