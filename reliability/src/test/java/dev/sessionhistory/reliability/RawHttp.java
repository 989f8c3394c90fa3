package dev.sessionhistory.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand on a loopback socket, for requests no well-behaved client
 * library sends: any header, any bytes, a body cut short on the wire. One request per
 * connection ({@code Connection: close}), so the answer is read to the end of the stream.
 */
final class RawHttp {

	private static final int MAX_ANSWER = 1 << 20;

	private RawHttp() {
	}

	/**
	 * @param shortBy how many bytes fewer than Content-Length are sent before the client
	 * closes its side (0: a complete request)
	 * @return the answer, or {@code null} when the server closed without one
	 */
	static Answer send(int port, BadRequest request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			try {
				out.write(head(port, request));
				out.write(request.body(), 0, request.body().length - request.shortBy());
				out.flush();
				if (request.shortBy() > 0) {
					socket.shutdownOutput();
				}
			}
			catch (IOException ex) {
				// The server may answer (413) and close before reading a large body: read that answer.
			}
			return read(socket.getInputStream());
		}
	}

	private static byte[] head(int port, BadRequest request) {
		StringBuilder head = new StringBuilder();
		head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
		head.append("Host: 127.0.0.1:").append(port).append("\r\n");
		head.append("Connection: close\r\n");
		request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		if (request.body().length > 0 || request.method().equals("POST")) {
			head.append("Content-Length: ").append(request.body().length).append("\r\n");
		}
		head.append("\r\n");
		return head.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static Answer read(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int n;
		try {
			while (all.size() < MAX_ANSWER && (n = in.read(buffer)) >= 0) {
				all.write(buffer, 0, n);
			}
		}
		catch (IOException ex) {
			// A reset after a complete answer still leaves the answer.
		}
		byte[] bytes = all.toByteArray();
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		if (end < 0) {
			return null;
		}
		String[] lines = text.substring(0, end).split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
		}
		byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = dechunk(body);
		}
		return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] dechunk(byte[] chunked) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		int at = 0;
		while (at < chunked.length) {
			int lineEnd = indexOfCrlf(chunked, at);
			if (lineEnd < 0) {
				break;
			}
			String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII);
			int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
			if (size == 0) {
				break;
			}
			body.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
			at = lineEnd + 2 + size + 2;
		}
		return body.toByteArray();
	}

	private static int indexOfCrlf(byte[] bytes, int from) {
		for (int i = from; i + 1 < bytes.length; i++) {
			if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
				return i;
			}
		}
		return -1;
	}

	/**
	 * One answer.
	 *
	 * @param status the status code
	 * @param headers the headers, names in lower case
	 * @param body the body, decoded as UTF-8
	 */
	record Answer(int status, Map<String, String> headers, String body) {

		String contentType() {
			return this.headers.getOrDefault("content-type", "");
		}

	}

}
