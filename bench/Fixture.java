import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fixtures and load pacing for bench/run.sh, in one file with the JDK only.
 *
 * <pre>
 * java Fixture.java redis SCRIPTS PREFIX SET COUNT MESSAGES SIDMODE TTL_MS [BODY [OWNERS]]
 *     Writes, in the Redis protocol for redis-cli --pipe, what a writer does for COUNT
 *     sessions of MESSAGES messages: ZADD to the code's due bucket PREFIX:due:{B}, the create script, then the append
 *     script once per message (the real scripts of layout 4 from SCRIPTS, each as layout.lua
 *     followed by its own file, by EVALSHA after SCRIPT LOAD). BODY: "small" (the default,
 *     about 220 bytes per stored message) or the size in bytes of each message's body as the
 *     API receives it (16384: the largest the API accepts by default). OWNERS: "none" (the
 *     default) or "owned": session N is created with owner bench-user-N (create.lua's owner).
 * java Fixture.java tokens URL ADMIN_TOKEN SET COUNT RIGHTS OUT
 *     Asks the API for an access token of each of the COUNT live sessions of SET, as the
 *     admin (POST /sessions/{code}/tokens {"rights":[RIGHTS]}, RIGHTS comma-separated), 8
 *     requests in flight, and writes them to OUT, one line per session in order.
 * java Fixture.java copy SET COUNT MESSAGES BODY SESSIONS_TSV CHUNKS_TSV
 *     Writes the same sessions in COPY text format: session_history rows to SESSIONS_TSV and
 *     their session_history_chunk rows to CHUNKS_TSV, cut into chunks as the worker cuts
 *     them and holding exactly what the append script stores.
 * java Fixture.java page SET MESSAGES BODY LIMIT MAX_BYTES MODE
 *     Prints "FROM TO": the seqs of the page a history read returns for a session of the
 *     set with LIMIT and a page byte cap of MAX_BYTES; MODE "after" (cursor 0) or "latest".
 * java Fixture.java script SCRIPTS NAME
 *     Prints the text of a script as it is loaded: layout.lua, a newline, then NAME.
 * java Fixture.java body
 *     Prints one message body as the API receives it (sender, type, data), about 220 bytes once stored.
 * java Fixture.java end SCRIPTS HOST PORT PREFIX SET FROM COUNT RATE
 *     Ends sessions FROM..FROM+COUNT-1 of SET with the end script and sets their due score
 *     to now, as the API does: RATE per second, evenly paced, or all at once for RATE 0.
 *     Prints start_ms, sent_ms and the number ended.
 * java Fixture.java end-commands SCRIPTS PREFIX SET FROM COUNT
 *     The same commands, all at once, printed in the Redis protocol for ClusterPipe (a
 *     Redis Cluster, where the end script and the due score are on two slots).
 * </pre>
 *
 * Session codes are SET followed by 12 digits (L000000000042), so the 12-digit number that
 * redis-benchmark puts in place of __rand_int__ names an existing session. Session ids are
 * 0000SSSS-0000-4000-8000-NNNNNNNNNNNN (SSSS the set's letter, N the session number), or the
 * same id for every session of the set with SIDMODE const: redis-benchmark draws a new number
 * for every __rand_int__, so only then do the four keys of an append name one session.
 */
public class Fixture {

	static final DateTimeFormatter SENT_AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	static final String[] WORDS = { "the", "history", "session", "message", "archive", "redis", "postgres", "reply",
			"quick", "brown", "fox", "jumps", "over", "lazy", "dog", "hello", "world", "lorem", "ipsum", "dolor", "sit",
			"amet", "agenda", "meeting", "notes", "ticket", "deploy", "review", "thanks", "later" };

	/** The layout version the scripts speak, passed as ARGV[1] of every call. */
	static final String LAYOUT = "4";

	/** How many buckets the due index has: the services' default, history.due-buckets. */
	static final int DUE_BUCKETS = 16;

	/**
	 * The due bucket of a code, as the services' RedisKeys.dueBucketOf computes it: CRC16
	 * (XMODEM, Redis Cluster's) of the code modulo the bucket count. Written out here because
	 * the benchmark's programs use no libraries.
	 */
	static String due(String prefix, String code) {
		int crc = 0;
		for (byte b : code.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
			crc ^= (b & 0xff) << 8;
			for (int i = 0; i < 8; i++) {
				crc = ((crc & 0x8000) != 0) ? ((crc << 1) ^ 0x1021) : (crc << 1);
			}
		}
		return prefix + ":due:{" + ((crc & 0xffff) % DUE_BUCKETS) + "}";
	}

	/** The participant limit of every append (no appending user, so none joins). */
	static final String PARTICIPANTS = "1000";

	/** Safety TTL (seconds) given to the scripts: data outlives the live key by this much. */
	static final long SAFETY_SECONDS = 86_400;

	/** Message limit given to the append script while loading (above any set's size). */
	static final long LIMIT = 100_000;

	/** Byte limit given to the append script while loading, so that no fixture hits it. */
	static final long BYTE_LIMIT = 1_000_000_000_000L;

	/** The worker's chunks: at most this many messages... */
	static final int CHUNK_MESSAGES = 128;

	/** ...and this many bytes, a larger message alone (ArchiveChunk, slice.lua). */
	static final long CHUNK_BYTES = 256 * 1024;

	/**
	 * A fixed base time for sentAt (and createdAt of COPY rows), so that the messages of a
	 * session are the same bytes in Redis and in the COPY rows of the same set.
	 */
	static final long BASE_MS = Instant.parse("2026-11-24T10:00:00Z").toEpochMilli();

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "redis" -> redis(Path.of(args[1]), args[2], args[3], Integer.parseInt(args[4]),
					Integer.parseInt(args[5]), args[6].equals("const"), Long.parseLong(args[7]),
					body(args.length > 8 ? args[8] : "small"), args.length > 9 && args[9].equals("owned"));
			case "tokens" -> tokens(args[1], args[2], args[3], Integer.parseInt(args[4]), args[5], Path.of(args[6]));
			case "copy" -> copy(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), body(args[4]),
					Path.of(args[5]), Path.of(args[6]));
			case "page" -> page(args[1], Integer.parseInt(args[2]), body(args[3]), Integer.parseInt(args[4]),
					Long.parseLong(args[5]), args[6]);
			case "script" -> System.out.print(script(Path.of(args[1]), args[2]));
			case "body" -> System.out.println("{\"sender\":\"user-3\",\"type\":\"chat\",\"data\":{\"text\":\""
					+ text(new SplittableRandom(7)) + "\"}}");
			case "end" -> end(Path.of(args[1]), args[2], Integer.parseInt(args[3]), args[4], args[5],
					Integer.parseInt(args[6]), Integer.parseInt(args[7]), Double.parseDouble(args[8]));
			case "end-commands" -> endCommands(Path.of(args[1]), args[2], args[3], Integer.parseInt(args[4]),
					Integer.parseInt(args[5]));
			default -> throw new IllegalArgumentException("unknown command " + args[0]);
		}
	}

	/** 0 for the small messages, else the body size in bytes. */
	static int body(String arg) {
		return arg.equals("small") ? 0 : Integer.parseInt(arg);
	}

	/** A script as SessionScripts runs it: layout.lua, a newline, the script's own file. */
	static String script(Path scripts, String name) throws IOException {
		return Files.readString(scripts.resolve("layout.lua")) + "\n" + Files.readString(scripts.resolve(name));
	}

	static String code(String set, int n) {
		return set + String.format("%012d", n);
	}

	/** The user who owns session n of an owned set. */
	static String owner(int n) {
		return "bench-user-" + n;
	}

	static String sid(String set, int n, boolean constant) {
		return String.format("0000%04x-0000-4000-8000-%012d", (int) set.charAt(0), constant ? 0 : n);
	}

	/** About 113 characters of words, so a stored message is about 220 bytes. */
	static String text(SplittableRandom random) {
		return text(random, 108, Integer.MAX_VALUE);
	}

	/** Words until at least min characters, cut or padded to exactly max if that is smaller. */
	static String text(SplittableRandom random, int min, int max) {
		StringBuilder text = new StringBuilder(Math.min(min, max) + 16);
		while (text.length() < min) {
			if (text.length() > 0) {
				text.append(' ');
			}
			text.append(WORDS[random.nextInt(WORDS.length)]);
		}
		if (text.length() > max) {
			text.setLength(max);
		}
		return text.toString();
	}

	/**
	 * The message as a writer hands it to the append script: no seq. With bodyBytes 0 about
	 * 220 bytes; else the body (sender, type, data) is exactly bodyBytes bytes, as the API
	 * would receive it, and id and sentAt come on top.
	 */
	static String unsequenced(String set, int n, int seq, long createdMs, int bodyBytes) {
		SplittableRandom random = new SplittableRandom(set.charAt(0) * 1_000_003L * 1_000_003L + n * 1_000_003L + seq);
		String head = "{\"id\":\"m" + seq + "\",\"sentAt\":\"" + SENT_AT.format(Instant.ofEpochMilli(createdMs + seq * 1000L))
				+ "\",";
		String sender = "\"sender\":\"user-" + (seq % 7) + "\",\"type\":\"chat\",\"data\":{\"text\":\"";
		if (bodyBytes == 0) {
			return head + sender + text(random) + "\"}}";
		}
		int textLength = bodyBytes - (1 + sender.length() + 3);
		return head + sender + text(random, textLength, textLength) + "\"}}";
	}

	/** The message as the append script stores it. */
	static String stored(String unsequenced, int seq) {
		return "{\"seq\":" + seq + "," + unsequenced.substring(1);
	}

	static long created(int n) {
		return BASE_MS + n * 1000L;
	}

	static void tokens(String url, String adminToken, String set, int count, String rights, Path out)
			throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String body = "{\"rights\":[\"" + String.join("\",\"", rights.split(",")) + "\"]}";
		Pattern token = Pattern.compile("\"accessToken\":\"([^\"]+)\"");
		String[] tokens = new String[count];
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> calls = new ArrayList<>();
			for (int n = 0; n < count; n++) {
				int session = n;
				calls.add(pool.submit(() -> {
					HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/sessions/" + code(set, session) + "/tokens"))
						.header("Authorization", "Bearer " + adminToken)
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build();
					HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
					Matcher matcher = token.matcher(response.body());
					if (response.statusCode() != 201 || !matcher.find()) {
						throw new IllegalStateException(code(set, session) + ": " + response.statusCode() + " " + response.body());
					}
					tokens[session] = matcher.group(1);
					return null;
				}));
			}
			for (Future<?> call : calls) {
				call.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		Files.write(out, List.of(tokens));
	}

	static String sha1(String text) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
	}

	static void redis(Path scripts, String prefix, String set, int count, int messages, boolean constSid, long ttlMs,
			int bodyBytes, boolean owned) throws Exception {
		String create = script(scripts, "create.lua");
		String append = script(scripts, "append.lua");
		String createSha = sha1(create);
		String appendSha = sha1(append);
		Resp out = new Resp(new BufferedOutputStream(System.out, 1 << 20));
		out.command("SCRIPT", "LOAD", create);
		out.command("SCRIPT", "LOAD", append);
		long now = System.currentTimeMillis();
		String nowText = Long.toString(now);
		String limit = Long.toString(LIMIT);
		String byteLimit = Long.toString(BYTE_LIMIT);
		String safety = Long.toString(SAFETY_SECONDS);
		for (int n = 0; n < count; n++) {
			String code = code(set, n);
			String sid = sid(set, n, constSid);
			String tag = prefix + ":{" + code + "}";
			String live = tag + ":live";
			String meta = tag + ":" + sid + ":meta";
			String msgs = tag + ":" + sid + ":msgs";
			String ids = tag + ":" + sid + ":ids";
			String users = tag + ":" + sid + ":users";
			out.command("ZADD", due(prefix, code), Long.toString(now + ttlMs), code + " " + sid);
			// create.lua: KEYS live, meta, pending; ARGV layout, sid, code, now, idle TTL, metadata, safety TTL,
			// owner ('': none)
			out.command("EVALSHA", createSha, "3", live, meta, tag + ":pending", LAYOUT, sid, code, nowText,
					Long.toString(ttlMs), "", safety, owned ? owner(n) : "");
			for (int seq = 1; seq <= messages; seq++) {
				// append.lua: KEYS live, meta, msgs, ids, pending, users; ARGV layout, sid, message id, message,
				// now, message limit, safety TTL, byte limit, user id ('': none), participant limit
				out.command("EVALSHA", appendSha, "6", live, meta, msgs, ids, tag + ":pending", users, LAYOUT, sid,
						"m" + seq, unsequenced(set, n, seq, created(n), bodyBytes), nowText, limit, safety, byteLimit, "",
						PARTICIPANTS);
			}
		}
		out.flush();
	}

	/**
	 * The rows the worker writes for archived sessions: one session_history row each, and its
	 * messages in chunks cut as the worker's windows are (slice.lua with ArchiveChunk's
	 * bounds): up to 128 messages, up to 256 KiB of stored bytes, the first message of a
	 * chunk whatever its size.
	 */
	static void copy(String set, int count, int messages, int bodyBytes, Path sessionsFile, Path chunksFile)
			throws IOException {
		try (PrintStream sessions = tsv(sessionsFile); PrintStream chunks = tsv(chunksFile)) {
			StringBuilder array = new StringBuilder(1 << 18);
			for (int n = 0; n < count; n++) {
				String sid = sid(set, n, false);
				long bytes = 0;
				int first = 1;
				long chunkBytes = 0;
				array.setLength(0);
				for (int seq = 1; seq <= messages; seq++) {
					String message = stored(unsequenced(set, n, seq, created(n), bodyBytes), seq);
					int length = message.getBytes(StandardCharsets.UTF_8).length;
					if (seq > first && (seq - first >= CHUNK_MESSAGES || chunkBytes + length > CHUNK_BYTES)) {
						chunk(chunks, sid, first, seq - 1, array);
						first = seq;
						chunkBytes = 0;
						array.setLength(0);
					}
					array.append(array.length() == 0 ? '[' : ',').append(message);
					chunkBytes += length;
					bytes += length;
				}
				if (messages > 0) {
					chunk(chunks, sid, first, messages, array);
				}
				String createdAt = SENT_AT.format(Instant.ofEpochMilli(created(n)));
				String endedAt = SENT_AT.format(Instant.ofEpochMilli(created(n) + (messages + 60) * 1000L));
				// session_id, session_code, message_count, message_bytes, created_at, ended_at, end_reason
				sessions.append(sid).append('\t').append(code(set, n)).append('\t').append(Integer.toString(messages))
					.append('\t').append(Long.toString(bytes)).append('\t').append(createdAt).append('\t')
					.append(endedAt).append("\tended\n");
			}
		}
	}

	static PrintStream tsv(Path file) throws IOException {
		return new PrintStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20), false,
				StandardCharsets.UTF_8);
	}

	static void chunk(PrintStream chunks, String sid, int first, int last, StringBuilder array) {
		// session_id, first_seq, last_seq, messages_raw
		chunks.append(sid).append('\t').append(Integer.toString(first)).append('\t').append(Integer.toString(last))
			.append('\t').append(array).append("]\n");
	}

	/**
	 * The seqs of one page as read.lua cuts it (and the archive read the same way): up to
	 * limit messages nearest the cursor, stopping before the message that would pass
	 * maxBytes, the first one whatever its size.
	 */
	static void page(String set, int messages, int bodyBytes, int limit, long maxBytes, String mode) {
		boolean after = mode.equals("after");
		int seq = after ? 1 : messages;
		int step = after ? 1 : -1;
		int taken = 0;
		long bytes = 0;
		while (taken < limit && seq >= 1 && seq <= messages) {
			long length = stored(unsequenced(set, 0, seq, created(0), bodyBytes), seq)
				.getBytes(StandardCharsets.UTF_8).length;
			if (taken > 0 && bytes + length > maxBytes) {
				break;
			}
			bytes += length;
			taken++;
			seq += step;
		}
		int end = seq - step;
		System.out.println(after ? "1 " + end : end + " " + messages);
	}

	/**
	 * The commands of {@code end}, printed as RESP instead of sent, for ClusterPipe on a Redis
	 * Cluster: SCRIPT LOAD of end.lua, then per session the end script and its due score,
	 * which are on two slots.
	 */
	static void endCommands(Path scripts, String prefix, String set, int from, int count) throws Exception {
		String end = script(scripts, "end.lua");
		String endSha = sha1(end);
		Resp out = new Resp(new BufferedOutputStream(System.out, 1 << 16));
		out.command("SCRIPT", "LOAD", end);
		String now = Long.toString(System.currentTimeMillis());
		for (int n = from; n < from + count; n++) {
			String code = code(set, n);
			String sid = sid(set, n, false);
			String tag = prefix + ":{" + code + "}";
			// end.lua: KEYS live, meta; ARGV layout, sid, now, events channel
			out.command("EVALSHA", endSha, "2", tag + ":live", tag + ":" + sid + ":meta", LAYOUT, sid, now,
					prefix + ":events");
			out.command("ZADD", due(prefix, code), now, code + " " + sid);
		}
		out.flush();
	}

	static void end(Path scripts, String host, int port, String prefix, String set, int from, int count, double rate)
			throws Exception {
		String end = script(scripts, "end.lua");
		String endSha = sha1(end);
		try (Socket socket = new Socket(host, port)) {
			socket.setTcpNoDelay(true);
			Resp out = new Resp(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
			InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
			out.command("SCRIPT", "LOAD", end);
			out.flush();
			String loaded = readReply(in);
			if (!loaded.equals(endSha)) {
				throw new IllegalStateException("SCRIPT LOAD returned " + loaded);
			}
			int ended = 0;
			int pending = 0;
			long start = System.currentTimeMillis();
			long startNanos = System.nanoTime();
			System.out.println("start_ms=" + start);
			System.out.flush();
			// Replies are read by a second thread so that pacing never waits for them.
			int[] tally = new int[2];
			Thread reader = new Thread(() -> {
				try {
					for (int i = 0; i < count; i++) {
						String result = readReply(in);
						readReply(in); // ZADD
						synchronized (tally) {
							if (result.equals("ENDED")) {
								tally[0]++;
							}
							else {
								tally[1]++;
							}
						}
					}
				}
				catch (IOException ex) {
					throw new RuntimeException(ex);
				}
			});
			reader.start();
			for (int i = 0; i < count; i++) {
				if (rate > 0) {
					long due = startNanos + (long) (i * 1e9 / rate);
					long wait = due - System.nanoTime();
					if (wait > 0) {
						out.flush();
						Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
					}
				}
				int n = from + i;
				String code = code(set, n);
				String sid = sid(set, n, false);
				String tag = prefix + ":{" + code + "}";
				String now = Long.toString(System.currentTimeMillis());
				// end.lua: KEYS live, meta; ARGV layout, sid, now, events channel
				out.command("EVALSHA", endSha, "2", tag + ":live", tag + ":" + sid + ":meta", LAYOUT, sid, now,
						prefix + ":events");
				out.command("ZADD", due(prefix, code), now, code + " " + sid);
			}
			out.flush();
			System.out.println("sent_ms=" + System.currentTimeMillis());
			reader.join();
			System.out.println("ended=" + tally[0]);
			System.out.println("not_ended=" + tally[1]);
		}
	}

	/** Reads one reply and returns it as text (errors as "ERR…"; arrays are not expected). */
	static String readReply(InputStream in) throws IOException {
		int type = in.read();
		String line = readLine(in);
		switch (type) {
			case '+', '-', ':' -> {
				return line;
			}
			case '$' -> {
				int length = Integer.parseInt(line);
				if (length < 0) {
					return "";
				}
				byte[] bytes = in.readNBytes(length + 2);
				return new String(bytes, 0, length, StandardCharsets.UTF_8);
			}
			default -> throw new IOException("unexpected reply type " + (char) type + line);
		}
	}

	static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != '\r') {
			if (c < 0) {
				throw new IOException("connection closed");
			}
			line.append((char) c);
		}
		in.read();
		return line.toString();
	}

	/** Writes commands in the Redis protocol. */
	static final class Resp {

		final OutputStream out;

		Resp(OutputStream out) {
			this.out = out;
		}

		void command(String... args) throws IOException {
			write("*" + args.length + "\r\n");
			for (String arg : args) {
				byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
				write("$" + bytes.length + "\r\n");
				this.out.write(bytes);
				this.out.write('\r');
				this.out.write('\n');
			}
		}

		void write(String ascii) throws IOException {
			for (int i = 0; i < ascii.length(); i++) {
				this.out.write(ascii.charAt(i));
			}
		}

		void flush() throws IOException {
			this.out.flush();
		}

	}

}
