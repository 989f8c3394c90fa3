import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * redis-cli --pipe for a Redis Cluster, which --pipe is not: reads RESP commands on stdin
 * (what Fixture prints) and sends each to the master of its key's slot, pipelined, one
 * connection a master; SCRIPT commands go to every master. The key is the first argument, or
 * the first key of EVAL/EVALSHA. A reader thread per master counts the replies, the errors
 * and the replies that are ENDED. Prints start_ms, done_ms, replies, errors, ended and the
 * first error. Written out here (no client library) as the rest of the benchmark's programs.
 *
 *   java ClusterPipe LO-HI=HOST:PORT[,LO-HI=HOST:PORT...]
 */
public final class ClusterPipe {

	public static void main(String[] args) throws Exception {
		List<Node> nodes = new ArrayList<>();
		int[] slotNode = new int[16384];
		for (String range : args[0].split(",")) {
			String[] parts = range.split("=");
			String[] bounds = parts[0].split("-");
			String[] address = parts[1].split(":");
			int index = -1;
			for (int i = 0; i < nodes.size(); i++) {
				if (nodes.get(i).address.equals(parts[1])) {
					index = i;
				}
			}
			if (index < 0) {
				nodes.add(new Node(parts[1], address[0], Integer.parseInt(address[1])));
				index = nodes.size() - 1;
			}
			for (int slot = Integer.parseInt(bounds[0]); slot <= Integer.parseInt(bounds[1]); slot++) {
				slotNode[slot] = index;
			}
		}
		long start = System.currentTimeMillis();
		System.out.println("start_ms=" + start);
		System.out.flush();
		InputStream in = new BufferedInputStream(System.in, 1 << 16);
		List<byte[]> command;
		while ((command = readCommand(in)) != null) {
			byte[] raw = encode(command);
			String name = new String(command.get(0), StandardCharsets.US_ASCII).toUpperCase();
			if (name.equals("SCRIPT")) {
				for (Node node : nodes) {
					node.send(raw);
				}
				continue;
			}
			int keyIndex = (name.equals("EVALSHA") || name.equals("EVAL")) ? 3 : 1;
			nodes.get(slotNode[slot(command.get(keyIndex))]).send(raw);
		}
		long replies = 0;
		long errors = 0;
		long ended = 0;
		String firstError = "";
		for (Node node : nodes) {
			node.finish();
			replies += node.replies.get();
			errors += node.errors.get();
			ended += node.ended.get();
			if (firstError.isEmpty() && node.firstError != null) {
				firstError = node.firstError;
			}
		}
		System.out.println("done_ms=" + System.currentTimeMillis());
		System.out.println("replies=" + replies);
		System.out.println("errors=" + errors);
		System.out.println("ended=" + ended);
		System.out.println("first_error=" + firstError);
	}

	/** The cluster slot of a key: CRC16 (XMODEM) of its hash tag, or of the whole key. */
	static int slot(byte[] key) {
		int from = 0;
		int to = key.length;
		for (int open = 0; open < key.length; open++) {
			if (key[open] == '{') {
				for (int close = open + 1; close < key.length; close++) {
					if (key[close] == '}') {
						if (close > open + 1) {
							from = open + 1;
							to = close;
						}
						break;
					}
				}
				break;
			}
		}
		int crc = 0;
		for (int i = from; i < to; i++) {
			crc ^= (key[i] & 0xff) << 8;
			for (int bit = 0; bit < 8; bit++) {
				crc = ((crc & 0x8000) != 0) ? ((crc << 1) ^ 0x1021) : (crc << 1);
			}
		}
		return (crc & 0xffff) % 16384;
	}

	private static List<byte[]> readCommand(InputStream in) throws IOException {
		int type = in.read();
		if (type < 0) {
			return null;
		}
		if (type != '*') {
			throw new IOException("expected an array, got " + (char) type);
		}
		int count = Integer.parseInt(readLine(in));
		List<byte[]> args = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			if (in.read() != '$') {
				throw new IOException("expected a bulk string");
			}
			int length = Integer.parseInt(readLine(in));
			args.add(in.readNBytes(length));
			in.readNBytes(2);
		}
		return args;
	}

	private static byte[] encode(List<byte[]> args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
		for (byte[] arg : args) {
			out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.writeBytes(arg);
			out.writeBytes(new byte[] { '\r', '\n' });
		}
		return out.toByteArray();
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

	/** One master: its connection, the commands sent and a thread reading their replies. */
	private static final class Node {

		final String address;

		final AtomicLong replies = new AtomicLong();

		final AtomicLong errors = new AtomicLong();

		final AtomicLong ended = new AtomicLong();

		volatile String firstError;

		private final Socket socket;

		private final OutputStream out;

		private final Thread reader;

		private long sent;

		private volatile long expected = Long.MAX_VALUE;

		Node(String address, String host, int port) throws IOException {
			this.address = address;
			this.socket = new Socket(host, port);
			this.socket.setTcpNoDelay(true);
			this.out = new BufferedOutputStream(this.socket.getOutputStream(), 1 << 16);
			InputStream in = new BufferedInputStream(this.socket.getInputStream(), 1 << 16);
			this.reader = new Thread(() -> {
				try {
					while (this.replies.get() < this.expected) {
						String reply = readReply(in);
						this.replies.incrementAndGet();
						if ("ENDED".equals(reply)) {
							this.ended.incrementAndGet();
						}
					}
				}
				catch (IOException ex) {
					// The server closes the connection after the last reply: only an early end is an error.
					if (this.replies.get() < this.expected && this.firstError == null) {
						this.firstError = this.address + ": " + ex.getMessage();
					}
				}
			});
			this.reader.start();
		}

		void send(byte[] command) throws IOException {
			this.out.write(command);
			this.sent++;
		}

		void finish() throws Exception {
			this.out.flush();
			this.expected = this.sent;
			this.socket.shutdownOutput();
			this.reader.join();
			this.socket.close();
		}

		/** Reads one reply; returns its text for a status, an error or the first element of an array. */
		private String readReply(InputStream in) throws IOException {
			int type = in.read();
			String line = readLine(in);
			switch (type) {
				case '+', ':' -> {
					return line;
				}
				case '-' -> {
					this.errors.incrementAndGet();
					if (this.firstError == null) {
						this.firstError = this.address + ": " + line;
					}
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
				case '*' -> {
					int count = Integer.parseInt(line);
					String first = "";
					for (int i = 0; i < count; i++) {
						String element = readReply(in);
						if (i == 0) {
							first = element;
						}
					}
					return first;
				}
				default -> throw new IOException("unexpected reply type " + (char) type + line);
			}
		}

	}

}
