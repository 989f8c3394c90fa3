package dev.sessionhistory.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A redis-server process of a test's own, on a free loopback port, that the test may stop
 * and restart without touching anyone else's Redis. No persistence unless the extra
 * arguments ask for it (e.g. {@code --appendonly yes}); the data directory survives
 * {@link #restart()} and is deleted by {@link #close()}.
 */
public final class PrivateRedis implements AutoCloseable {

	private final int port;

	private final Path dir;

	private final List<String> command;

	private Process process;

	private PrivateRedis(int port, Path dir, List<String> command) {
		this.port = port;
		this.dir = dir;
		this.command = command;
	}

	/**
	 * Starts a server; {@code extraArgs} are appended to the command line and win over the
	 * defaults, e.g. {@code "--rename-command", "CONFIG", ""}.
	 */
	public static PrivateRedis start(String... extraArgs) {
		try {
			Path dir = Files.createTempDirectory("private-redis");
			int port = ServerProcesses.freePort();
			List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
			command.addAll(List.of(extraArgs));
			PrivateRedis redis = new PrivateRedis(port, dir, command);
			redis.restart();
			return redis;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/** Kills the server at once (SIGKILL): what it had not persisted is lost. */
	public synchronized void stop() {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.process = null;
		ServerProcesses.awaitPort(this.port, false, Duration.ofSeconds(10), log());
	}

	/** Starts the server again on the same port and data directory (stopping it first if it runs). */
	public synchronized void restart() {
		if (this.process != null) {
			stop();
		}
		this.process = ServerProcesses.spawn(this.command, log());
		ServerProcesses.awaitPort(this.port, true, Duration.ofSeconds(15), log());
	}

	/** Freezes the server (SIGSTOP): it keeps its connections but answers and reads nothing. */
	public synchronized void pause() {
		signal("STOP");
	}

	/** Lets a {@link #pause() paused} server go on (SIGCONT). */
	public synchronized void resume() {
		signal("CONT");
	}

	private void signal(String signal) {
		if (this.process == null || !this.process.isAlive()) {
			throw new IllegalStateException("Redis on port " + this.port + " is not running");
		}
		ServerProcesses.run(List.of("kill", "-" + signal, Long.toString(this.process.pid())), log());
	}

	public boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	@Override
	public synchronized void close() {
		stop();
		ServerProcesses.deleteTree(this.dir);
	}

	private Path log() {
		return this.dir.resolve("redis.log");
	}

}
