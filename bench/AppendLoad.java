import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The raw append baseline of bench/run.sh, JDK only: the append script by EVALSHA against
 * random sessions of a set, as redis-benchmark would run it, but with the five keys of each
 * call naming one session (layout 4's append.lua refuses keys of different codes, and
 * redis-benchmark draws a new number for every {@code __rand_int__} of a command).
 *
 * <pre>
 * java AppendLoad.java HOST PORT CONNECTIONS WARMUP REQUESTS SESSIONS PREFIX SET SID SHA MESSAGE NOW MAX_COUNT SAFETY MAX_BYTES
 * </pre>
 *
 * CONNECTIONS connections on one thread (non-blocking, like redis-benchmark), each with one
 * call in flight; each call appends MESSAGE with a new message id to the session of SET with
 * a random number below SESSIONS (session id SID for all). WARMUP calls first, unmeasured,
 * so that this JVM's JIT has compiled the loop; then REQUESTS measured calls. Prints rps,
 * p50_ms, p99_ms, the number of calls (both phases) and of calls that did not answer CREATED.
 */
public class AppendLoad {

	public static void main(String[] args) throws IOException {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		int connections = Integer.parseInt(args[2]);
		int warmup = Integer.parseInt(args[3]);
		int requests = Integer.parseInt(args[4]);
		AppendLoad load = new AppendLoad(Integer.parseInt(args[5]), args[6], args[7], args[8], args[9], args[10],
				new String[] { args[11], args[12], args[13], args[14] });
		if (warmup > 0) {
			load.run(host, port, connections, warmup, "w");
		}
		long elapsed = load.run(host, port, connections, requests, "a");
		long[] latencies = load.latencies;
		Arrays.sort(latencies);
		System.out.printf("rps=%.0f%n", requests / (elapsed / 1e9));
		System.out.printf("p50_ms=%.3f%n", latencies[(int) Math.ceil(requests * 0.5) - 1] / 1e6);
		System.out.printf("p99_ms=%.3f%n", latencies[(int) Math.ceil(requests * 0.99) - 1] / 1e6);
		System.out.println("requests=" + (warmup + requests));
		System.out.println("not_created=" + load.notCreated);
		if (load.firstProblem != null) {
			System.out.println("first_problem=" + load.firstProblem);
		}
	}

	final int sessions;

	final String prefix;

	final String set;

	final String sid;

	final String sha;

	final String message;

	final String[] tail;

	final SplittableRandom random = new SplittableRandom(42);

	long[] latencies;

	int notCreated;

	String firstProblem;

	AppendLoad(int sessions, String prefix, String set, String sid, String sha, String message, String[] tail) {
		this.sessions = sessions;
		this.prefix = prefix;
		this.set = set;
		this.sid = sid;
		this.sha = sha;
		this.message = message;
		this.tail = tail;
	}

	/** Runs requests calls on fresh connections; returns the time taken, latencies in the field. */
	long run(String host, int port, int connections, int requests, String idPrefix) throws IOException {
		String prefix = this.prefix;
		String set = this.set;
		String sid = this.sid;
		String sha = this.sha;
		String message = this.message;
		String[] tail = this.tail;
		int sessions = this.sessions;
		SplittableRandom random = this.random;
		long[] latencies = new long[requests];
		this.latencies = latencies;
		int sent = 0;
		int done = 0;
		try (Selector selector = Selector.open()) {
			Connection[] all = new Connection[connections];
			for (int i = 0; i < connections; i++) {
				SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
				channel.configureBlocking(false);
				all[i] = new Connection(channel);
				all[i].key = channel.register(selector, SelectionKey.OP_READ, all[i]);
			}
			long start = System.nanoTime();
			for (Connection connection : all) {
				if (sent < requests) {
					connection.send(call(prefix, set, random.nextInt(sessions), sid, sha, idPrefix + sent, message, tail));
					connection.flush(connection.key);
					sent++;
				}
			}
			while (done < requests) {
				selector.select();
				for (SelectionKey key : selector.selectedKeys()) {
					Connection connection = (Connection) key.attachment();
					if (key.isWritable()) {
						connection.flush(key);
					}
					if (key.isReadable() && connection.read()) {
						latencies[done++] = System.nanoTime() - connection.sentAt;
						if (!connection.created) {
							this.notCreated++;
							if (this.firstProblem == null) {
								this.firstProblem = connection.reply;
							}
						}
						if (sent < requests) {
							connection.send(call(prefix, set, random.nextInt(sessions), sid, sha, idPrefix + sent, message,
									tail));
							sent++;
							connection.flush(key);
						}
					}
				}
				selector.selectedKeys().clear();
			}
			long elapsed = System.nanoTime() - start;
			for (Connection connection : all) {
				connection.channel.close();
			}
			return elapsed;
		}
	}

	/**
	 * EVALSHA of append.lua: KEYS live, meta, msgs, ids, pending, users; ARGV layout, sid, id,
	 * message, now, limits, no user id, the participant limit.
	 */
	static byte[] call(String prefix, String set, int n, String sid, String sha, String id, String message,
			String[] tail) {
		String tag = prefix + ":{" + set + String.format("%012d", n) + "}";
		String[] parts = { "EVALSHA", sha, "6", tag + ":live", tag + ":" + sid + ":meta", tag + ":" + sid + ":msgs",
				tag + ":" + sid + ":ids", tag + ":pending", tag + ":" + sid + ":users", Fixture.LAYOUT, sid, id, message, tail[0],
				tail[1], tail[2], tail[3], "", "1000" };
		StringBuilder command = new StringBuilder(512).append('*').append(parts.length).append("\r\n");
		for (String part : parts) {
			command.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part)
				.append("\r\n");
		}
		return command.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** One connection with one call in flight and the bytes of its reply so far. */
	static final class Connection {

		final SocketChannel channel;

		final ByteBuffer in = ByteBuffer.allocate(1 << 16);

		SelectionKey key;

		ByteBuffer out;

		long sentAt;

		boolean created;

		String reply;

		Connection(SocketChannel channel) {
			this.channel = channel;
		}

		void send(byte[] command) {
			this.out = ByteBuffer.wrap(command);
			this.sentAt = System.nanoTime();
		}

		void flush(SelectionKey key) throws IOException {
			this.channel.write(this.out);
			key.interestOps(this.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
		}

		/** Reads what arrived; true once the reply is complete. */
		boolean read() throws IOException {
			if (this.channel.read(this.in) < 0) {
				throw new IOException("Redis closed the connection");
			}
			int end = complete(this.in.array(), 0, this.in.position());
			if (end < 0) {
				return false;
			}
			this.reply = new String(this.in.array(), 0, Math.min(end, 200), StandardCharsets.UTF_8);
			this.created = this.reply.startsWith("*2\r\n$7\r\nCREATED\r\n");
			this.in.clear();
			return true;
		}

		/** The end of the complete reply starting at from, or -1 if it is not all there. */
		static int complete(byte[] bytes, int from, int to) {
			int eol = lineEnd(bytes, from, to);
			if (eol < 0) {
				return -1;
			}
			byte type = bytes[from];
			if (type == '+' || type == '-' || type == ':') {
				return eol + 2;
			}
			long length = Long.parseLong(new String(bytes, from + 1, eol - from - 1, StandardCharsets.US_ASCII));
			if (type == '$') {
				long end = (length < 0) ? eol + 2 : eol + 2 + length + 2;
				return (end <= to) ? (int) end : -1;
			}
			int at = eol + 2;
			for (long i = 0; i < length; i++) {
				at = complete(bytes, at, to);
				if (at < 0) {
					return -1;
				}
			}
			return at;
		}

		static int lineEnd(byte[] bytes, int from, int to) {
			for (int i = from; i + 1 < to; i++) {
				if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
					return i;
				}
			}
			return -1;
		}

	}

}
