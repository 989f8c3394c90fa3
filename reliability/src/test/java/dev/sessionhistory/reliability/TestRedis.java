package dev.sessionhistory.reliability;

import java.util.ArrayList;
import java.util.List;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionScripts;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * The scenario's own connections to its Redis: a foreign writer's (the published scripts,
 * and raw commands no script would run) and an observer's (the slow log). Both are named
 * {@value #CLIENT_NAME} with {@code CLIENT SETNAME}, so the slow log, which records each
 * entry's client name, tells the scenario's commands from the services'.
 */
final class TestRedis implements AutoCloseable {

	static final String CLIENT_NAME = "reliability-test";

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> text;

	private final StatefulRedisConnection<byte[], byte[]> binary;

	private TestRedis(RedisClient client) {
		this.client = client;
		this.text = client.connect();
		this.binary = client.connect(ByteArrayCodec.INSTANCE);
	}

	static TestRedis connect(String url) {
		RedisURI uri = RedisURI.create(url);
		uri.setClientName(CLIENT_NAME);
		return new TestRedis(RedisClient.create(uri));
	}

	RedisCommands<String, String> commands() {
		return this.text.sync();
	}

	/**
	 * Runs a published script as a foreign writer does: {@code EVAL} of its whole text
	 * (layout checks and all) with the keys and arguments its builder laid out, the reply
	 * read as the call's typed reply.
	 */
	<R> R run(SessionScripts.Call<R> call, ScriptOutputType type) {
		Object reply = commands().eval(call.script().getScriptAsString(), type, call.keys().toArray(String[]::new),
				call.args().toArray(String[]::new));
		return call.parse(reply);
	}

	/** {@code RPUSH} of raw bytes, which need not be text at all. */
	void rpush(String key, byte[] value) {
		this.binary.sync().rpush(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value);
	}

	/** The newest {@code count} entries of the slow log, newest first. */
	List<SlowEntry> slowLog(int count) {
		List<SlowEntry> entries = new ArrayList<>();
		for (Object raw : commands().slowlogGet(count)) {
			entries.add(SlowEntry.of((List<?>) raw));
		}
		return entries;
	}

	long slowLogLength() {
		return commands().slowlogLen();
	}

	void resetSlowLog() {
		commands().slowlogReset();
	}

	/**
	 * How long the server's main thread has run on a CPU and waited for one, in
	 * milliseconds (Linux' schedstat), or {@code null} where that cannot be read. The slow log
	 * measures wall time: what a command waited for a CPU counts as its own time there.
	 */
	static long[] cpuMillis(int port) {
		java.util.Optional<ProcessHandle> server = server(port);
		if (server.isEmpty()) {
			return null;
		}
		long pid = server.get().pid();
		try {
			String[] stat = java.nio.file.Files
				.readString(java.nio.file.Path.of("/proc", String.valueOf(pid), "task", String.valueOf(pid), "schedstat"))
				.trim()
				.split(" ");
			return new long[] { Long.parseLong(stat[0]) / 1_000_000, Long.parseLong(stat[1]) / 1_000_000 };
		}
		catch (java.io.IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Gives the server's main thread, the one that runs commands, a real-time scheduling
	 * priority ({@code chrt -f -p 1}) where that is allowed (as root), so that on a machine
	 * busier than its cores a command is not stretched by the time Redis waits for a CPU: the
	 * slow log then tells what the command costs. (Measured on 2 shared cores: the main thread
	 * waited as long for a CPU as it ran, and a {@code GET} was logged at 76 ms.) Redis sleeps
	 * between commands, and the kernel keeps real-time threads to 95 % of a CPU at most.
	 * @return whether it was raised
	 */
	static boolean raisePriority(int port) {
		java.util.Optional<ProcessHandle> server = server(port);
		if (server.isEmpty()) {
			return false;
		}
		try {
			Process chrt = new ProcessBuilder("chrt", "-f", "-p", "1", String.valueOf(server.get().pid()))
				.redirectErrorStream(true)
				.start();
			chrt.getInputStream().readAllBytes();
			return chrt.waitFor() == 0;
		}
		catch (java.io.IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static java.util.Optional<ProcessHandle> server(int port) {
		// redis-server rewrites its title to "redis-server 127.0.0.1:PORT", which only /proc shows.
		return ProcessHandle.current()
			.descendants()
			.filter((process) -> (cmdline(process.pid()).trim() + " ")
				.startsWith("redis-server 127.0.0.1:" + port + " "))
			.findFirst();
	}

	private static String cmdline(long pid) {
		try {
			return java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(pid), "cmdline"))
				.replace('\0', ' ');
		}
		catch (java.io.IOException | RuntimeException ex) {
			return "";
		}
	}

	/**
	 * What Redis holds of one instance, for a failure message: its meta's status, end and
	 * claim, the length of its list, the code's live key, the pending set and the due index.
	 */
	String describe(RedisKeys keys, RedisKeys.SessionRef ref) {
		RedisCommands<String, String> commands = commands();
		String sid = ref.sessionId().toString();
		java.util.Map<String, String> meta = commands.hgetall(keys.meta(ref.code(), ref.sessionId()));
		return String.format(java.util.Locale.ROOT,
				"meta %s, %d messages, claim %s (%d ms left), live key %s, pending %b, due at %s",
				meta.isEmpty() ? "none"
						: "status " + meta.get("status") + " endedAt " + meta.get("endedAt") + " expiresAt "
								+ meta.get("expiresAt"),
				commands.llen(keys.messages(ref.code(), ref.sessionId())),
				commands.get(keys.claim(ref.code(), ref.sessionId())),
				commands.pttl(keys.claim(ref.code(), ref.sessionId())),
				sid.equals(commands.get(keys.live(ref.code()))) ? "this instance"
						: String.valueOf(commands.get(keys.live(ref.code()))),
				commands.sismember(keys.pending(ref.code()), sid), commands.zscore(keys.due(ref.code()), ref.member()));
	}

	@Override
	public void close() {
		this.client.shutdown();
	}

	/**
	 * One slow log entry (Redis 7: id, time, duration, command, client address, client name).
	 *
	 * @param micros how long the command ran, microseconds
	 * @param command the command and its first arguments, as Redis abbreviates them
	 * @param clientName the client's name, empty if it set none
	 */
	record SlowEntry(long micros, List<String> command, String clientName) {

		static SlowEntry of(List<?> entry) {
			List<String> command = new ArrayList<>();
			for (Object argument : (List<?>) entry.get(3)) {
				command.add(JsonArrays.abbreviate(String.valueOf(argument)));
			}
			String name = (entry.size() > 5 && entry.get(5) != null) ? String.valueOf(entry.get(5)) : "";
			return new SlowEntry(((Number) entry.get(2)).longValue(), command, name);
		}

		boolean isTheScenarios() {
			return CLIENT_NAME.equals(this.clientName);
		}

		@Override
		public String toString() {
			String words = String.join(" ", this.command.subList(0, Math.min(this.command.size(), 4)));
			return String.format(java.util.Locale.ROOT, "%.1f ms %s (client '%s')", this.micros / 1000.0,
					words.length() > 120 ? words.substring(0, 120) + "…" : words, this.clientName);
		}

	}

}
