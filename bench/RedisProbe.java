import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The side client of the Redis stall check in bench/run.sh, JDK only:
 *
 * <pre>
 * java RedisProbe.java HOST PORT SCRIPTS INTERVAL_MS STOP_FILE
 * </pre>
 *
 * Until STOP_FILE exists it sends a PING every INTERVAL_MS on a connection of its own and,
 * on a second connection, samples every 100 ms the largest output buffer Redis reports
 * ({@code client_recent_max_output_buffer} of {@code INFO clients}, Redis' own peak of the
 * last seconds, taken by its clientsCron) and the largest {@code omem} of {@code CLIENT LIST}.
 * It resets the slow log and the latency monitor when it starts and reads them when it
 * stops. Then it prints key=value lines: PING latency percentiles, the buffers, the slow
 * log entries with the script each EVALSHA ran (by the SHA-1 of the layout 3 scripts in
 * SCRIPTS), and the latency monitor's events (stalls outside commands too, such as an
 * expire cycle), as far as the server enables them.
 * <p>
 * A PING's latency is measured from the time it was due, not from when it was sent: while
 * Redis stalls, every PING that should have gone out meanwhile counts the wait, so a stall
 * of 100 ms weighs as the 50 PINGs it delayed, not as one (no coordinated omission).
 * The round trip of each PING alone is reported beside it.
 */
public class RedisProbe {

	static volatile boolean stopped;

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		Map<String, String> scripts = scriptNames(Path.of(args[2]));
		long interval = Long.parseLong(args[3]) * 1_000_000L;
		Path stopFile = Path.of(args[4]);
		try (Socket ping = connect(host, port); Socket side = connect(host, port)) {
			Redis pings = new Redis(ping);
			Redis sampler = new Redis(side);
			sampler.call("CLIENT", "SETNAME", "bench-probe");
			pings.call("CLIENT", "SETNAME", "bench-probe-ping");
			sampler.call("SLOWLOG", "RESET");
			sampler.call("LATENCY", "RESET");
			Buffers buffers = new Buffers();
			Thread sampling = new Thread(() -> sample(sampler, buffers, stopFile), "sampler");
			sampling.start();
			long[] due = new long[1 << 16];
			long[] rtt = new long[1 << 16];
			long[] at = new long[1 << 16];
			int count = 0;
			long start = System.nanoTime();
			long startMillis = System.currentTimeMillis();
			for (long i = 0; !stopped; i++) {
				long intended = start + i * interval;
				long wait = intended - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				long sent = System.nanoTime();
				Object reply = pings.call("PING");
				long done = System.nanoTime();
				if (!"PONG".equals(reply)) {
					throw new IllegalStateException("PING answered " + reply);
				}
				if (count == due.length) {
					due = Arrays.copyOf(due, count * 2);
					rtt = Arrays.copyOf(rtt, count * 2);
					at = Arrays.copyOf(at, count * 2);
				}
				due[count] = done - intended;
				rtt[count] = done - sent;
				at[count] = intended - start;
				count++;
			}
			sampling.join();
			report(count, due, rtt, at, startMillis);
			System.out.println("max_output_buffer_bytes=" + buffers.recentMax);
			System.out.println("max_omem_bytes=" + buffers.omem);
			System.out.println("max_omem_client=" + buffers.omemClient);
			slowlog(sampler, scripts);
			latency(sampler);
		}
	}

	/** LATENCY LATEST: per event, its latest and its largest latency since the reset. */
	static void latency(Redis redis) throws IOException {
		StringBuilder events = new StringBuilder();
		for (Object entry : (List<?>) redis.call("LATENCY", "LATEST")) {
			List<?> fields = (List<?>) entry;
			events.append(events.length() == 0 ? "" : ", ").append(fields.get(0)).append(" max ").append(fields.get(3))
				.append(" ms");
		}
		System.out.println("latency_events=" + (events.length() == 0 ? "none" : events));
	}

	static Socket connect(String host, int port) throws IOException {
		Socket socket = new Socket(host, port);
		socket.setTcpNoDelay(true);
		return socket;
	}

	/** The samples of the largest output buffers. */
	static final class Buffers {

		long recentMax;

		long omem;

		String omemClient = "-";

	}

	static void sample(Redis redis, Buffers buffers, Path stopFile) {
		try {
			while (!Files.exists(stopFile)) {
				String info = (String) redis.call("INFO", "clients");
				for (String line : info.split("\r\n")) {
					if (line.startsWith("client_recent_max_output_buffer:")) {
						buffers.recentMax = Math.max(buffers.recentMax, Long.parseLong(line.substring(line.indexOf(':') + 1)));
					}
				}
				for (String client : ((String) redis.call("CLIENT", "LIST")).split("\n")) {
					Map<String, String> fields = new HashMap<>();
					for (String field : client.trim().split(" ")) {
						int eq = field.indexOf('=');
						if (eq > 0) {
							fields.put(field.substring(0, eq), field.substring(eq + 1));
						}
					}
					long omem = Long.parseLong(fields.getOrDefault("omem", "0"));
					if (omem > buffers.omem) {
						buffers.omem = omem;
						buffers.omemClient = "name=" + fields.getOrDefault("name", "") + " cmd=" + fields.get("cmd");
					}
				}
				Thread.sleep(100);
			}
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			stopped = true;
		}
	}

	static void report(int count, long[] due, long[] rtt, long[] at, long startMillis) {
		System.out.println("pings=" + count);
		long[] sorted = Arrays.copyOf(due, count);
		Arrays.sort(sorted);
		long[] sortedRtt = Arrays.copyOf(rtt, count);
		Arrays.sort(sortedRtt);
		System.out.println("ping_p50_ms=" + ms(percentile(sorted, 0.5)));
		System.out.println("ping_p99_ms=" + ms(percentile(sorted, 0.99)));
		System.out.println("ping_p999_ms=" + ms(percentile(sorted, 0.999)));
		System.out.println("ping_max_ms=" + ms(percentile(sorted, 1)));
		System.out.println("rtt_p50_ms=" + ms(percentile(sortedRtt, 0.5)));
		System.out.println("rtt_p99_ms=" + ms(percentile(sortedRtt, 0.99)));
		System.out.println("rtt_max_ms=" + ms(percentile(sortedRtt, 1)));
		long over10 = Arrays.stream(sorted).filter((v) -> v > 10_000_000L).count();
		long over50 = Arrays.stream(sorted).filter((v) -> v > 50_000_000L).count();
		System.out.println("pings_over_10ms=" + over10);
		System.out.println("pings_over_50ms=" + over50);
		// When the slowest round trip happened, to set it beside the run's events.
		int worst = 0;
		for (int i = 1; i < count; i++) {
			if (rtt[i] > rtt[worst]) {
				worst = i;
			}
		}
		if (count > 0) {
			System.out.println("rtt_max_at_ms=" + (startMillis + at[worst] / 1_000_000L));
		}
	}

	static long percentile(long[] sorted, double fraction) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(sorted.length * fraction) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	static String ms(long nanos) {
		return String.format("%.2f", nanos / 1e6);
	}

	/** The entries of the slow log since the start, slowest first, EVALSHA named by script. */
	static void slowlog(Redis redis, Map<String, String> scripts) throws IOException {
		List<?> entries = (List<?>) redis.call("SLOWLOG", "GET", "1000");
		List<String> lines = new ArrayList<>();
		long slowest = 0;
		for (Object entry : entries) {
			List<?> fields = (List<?>) entry;
			long micros = (Long) fields.get(2);
			List<?> argv = (List<?>) fields.get(3);
			String command = String.valueOf(argv.get(0));
			if (command.equalsIgnoreCase("evalsha") && argv.size() > 1) {
				command += " " + scripts.getOrDefault(String.valueOf(argv.get(1)), String.valueOf(argv.get(1)));
			}
			else if (argv.size() > 1) {
				command += " " + String.valueOf(argv.get(1));
			}
			String client = fields.size() > 5 ? String.valueOf(fields.get(5)) : "";
			lines.add(String.format("%09d %.1f ms %s%s", micros, micros / 1000.0, command,
					client.isEmpty() ? "" : " (client " + client + ")"));
			slowest = Math.max(slowest, micros);
		}
		lines.sort((a, b) -> b.compareTo(a));
		System.out.println("slowlog_entries=" + entries.size());
		System.out.println("slowlog_max_ms=" + String.format("%.1f", slowest / 1000.0));
		for (int i = 0; i < Math.min(5, lines.size()); i++) {
			System.out.println("slowlog_" + (i + 1) + "=" + lines.get(i).substring(10));
		}
	}

	/** The SHA-1 of each layout 3 script as loaded (layout.lua, a newline, the script). */
	static Map<String, String> scriptNames(Path scripts) throws Exception {
		Map<String, String> names = new HashMap<>();
		String layout = Files.readString(scripts.resolve("layout.lua"));
		try (var files = Files.list(scripts)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".lua")).toList()) {
				String text = layout + "\n" + Files.readString(file);
				names.put(HexFormat.of()
					.formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8))),
						file.getFileName().toString());
			}
		}
		return names;
	}

	/** A blocking connection speaking just enough of the Redis protocol. */
	static final class Redis {

		final OutputStream out;

		final InputStream in;

		Redis(Socket socket) throws IOException {
			this.out = socket.getOutputStream();
			this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
		}

		Object call(String... args) throws IOException {
			StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
			for (String arg : args) {
				command.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
					.append("\r\n");
			}
			this.out.write(command.toString().getBytes(StandardCharsets.UTF_8));
			this.out.flush();
			return read();
		}

		Object read() throws IOException {
			int type = this.in.read();
			String line = line();
			switch (type) {
				case '+':
					return line;
				case '-':
					throw new IOException("Redis answered " + line);
				case ':':
					return Long.parseLong(line);
				case '$': {
					int length = Integer.parseInt(line);
					if (length < 0) {
						return null;
					}
					byte[] bytes = this.in.readNBytes(length + 2);
					return new String(bytes, 0, length, StandardCharsets.UTF_8);
				}
				case '*': {
					int length = Integer.parseInt(line);
					List<Object> items = new ArrayList<>(Math.max(length, 0));
					for (int i = 0; i < length; i++) {
						items.add(read());
					}
					return items;
				}
				default:
					throw new IOException("unexpected reply type " + (char) type);
			}
		}

		String line() throws IOException {
			StringBuilder line = new StringBuilder();
			int c;
			while ((c = this.in.read()) != '\r') {
				if (c < 0) {
					throw new IOException("connection closed");
				}
				line.append((char) c);
			}
			this.in.read();
			return line.toString();
		}

	}

}
