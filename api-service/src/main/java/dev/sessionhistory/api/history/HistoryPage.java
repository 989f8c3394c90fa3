package dev.sessionhistory.api.history;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.api.archive.ArchivedHistory;

/**
 * One page of a history, written straight from the stored message bytes:
 * {@code {"code","sessionId","source","status","total","hasMore","messages":[…]}}. The
 * messages are never parsed: each is a slice of the bytes it came in (a Redis list
 * element, or an element of an archive chunk's {@code messages_raw}), joined with commas,
 * so both sources write the same bytes for the same messages.
 * <p>
 * Public for the Session Gallery, which serves the same pages to admins and exports a
 * history page by page, message by message ({@link #writeMessage}).
 */
public final class HistoryPage {

	static final String LIVE = "live";

	static final String ARCHIVE = "archive";

	private static final byte[] END = "]}".getBytes(StandardCharsets.US_ASCII);

	private final byte[] head;

	private final List<Slice> messages;

	private final String source;

	private final long total;

	private HistoryPage(byte[] head, List<Slice> messages, String source, long total) {
		this.head = head;
		this.messages = messages;
		this.source = source;
		this.total = total;
	}

	static HistoryPage live(String code, UUID sessionId, String status, long total, boolean hasMore,
			List<byte[]> messages) {
		List<Slice> slices = new ArrayList<>(messages.size());
		for (byte[] message : messages) {
			slices.add(new Slice(message, 0, message.length));
		}
		return new HistoryPage(head(code, sessionId, LIVE, status, total, hasMore), slices, LIVE, total);
	}

	static HistoryPage archive(ArchivedHistory history, boolean hasMore, List<Slice> messages) {
		return new HistoryPage(head(history.code(), history.sessionId(), ARCHIVE, "ended", history.total(), hasMore),
				messages, ARCHIVE, history.total());
	}

	String source() {
		return this.source;
	}

	/** How many messages the instance held when the page was read. */
	public long total() {
		return this.total;
	}

	/** How many messages the page holds. */
	public int size() {
		return this.messages.size();
	}

	/** Writes message {@code index} of the page (0 is its first), exactly its stored bytes. */
	/** The stored bytes of one message of the page. */
	public byte[] message(int index) {
		Slice message = this.messages.get(index);
		return Arrays.copyOfRange(message.bytes(), message.start(), message.end());
	}

	public void writeMessage(int index, OutputStream out) throws IOException {
		Slice message = this.messages.get(index);
		out.write(message.bytes(), message.start(), message.length());
	}

	long contentLength() {
		long length = this.head.length + END.length + Math.max(this.messages.size() - 1, 0);
		for (Slice message : this.messages) {
			length += message.length();
		}
		return length;
	}

	/**
	 * Writes the page in one piece: one copy into an array of its exact length costs less
	 * than a write per message through the servlet stream's layers (a profile of the live
	 * read put those at a tenth of its time).
	 */
	void writeTo(OutputStream out) throws IOException {
		byte[] page = new byte[Math.toIntExact(contentLength())];
		System.arraycopy(this.head, 0, page, 0, this.head.length);
		int at = this.head.length;
		for (int i = 0; i < this.messages.size(); i++) {
			if (i > 0) {
				page[at++] = ',';
			}
			Slice message = this.messages.get(i);
			System.arraycopy(message.bytes(), message.start(), page, at, message.length());
			at += message.length();
		}
		System.arraycopy(END, 0, page, at, END.length);
		out.write(page);
	}

	/** Codes and ids are plain ASCII that needs no escaping ({@code RedisKeys.CODE}, UUIDs). */
	private static byte[] head(String code, UUID sessionId, String source, String status, long total,
			boolean hasMore) {
		return ("{\"code\":\"" + code + "\",\"sessionId\":\"" + sessionId + "\",\"source\":\"" + source
				+ "\",\"status\":\"" + status + "\",\"total\":" + total + ",\"hasMore\":" + hasMore + ",\"messages\":[")
			.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * One message's text: {@code bytes[start, end)}.
	 */
	record Slice(byte[] bytes, int start, int end) {

		int length() {
			return this.end - this.start;
		}

	}

}
