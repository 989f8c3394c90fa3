package dev.sessionhistory.api.history;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * One page of a history, written straight from the stored message bytes:
 * {@code {"code","sessionId","source","status","total","hasMore","messages":[…]}}. The
 * messages are never parsed; live ones are joined with commas, archived ones are one slice
 * of {@code messages_raw}, which holds them already joined.
 */
final class HistoryPage {

	static final String LIVE = "live";

	static final String ARCHIVE = "archive";

	private static final byte[] END = "]}".getBytes(StandardCharsets.US_ASCII);

	private final byte[] head;

	private final List<byte[]> liveMessages;

	private final byte[] archive;

	private final int archiveStart;

	private final int archiveEnd;

	private final String source;

	private HistoryPage(byte[] head, List<byte[]> liveMessages, byte[] archive, int archiveStart, int archiveEnd,
			String source) {
		this.head = head;
		this.liveMessages = liveMessages;
		this.archive = archive;
		this.archiveStart = archiveStart;
		this.archiveEnd = archiveEnd;
		this.source = source;
	}

	static HistoryPage live(String code, UUID sessionId, String status, long total, boolean hasMore,
			List<byte[]> messages) {
		return new HistoryPage(head(code, sessionId, LIVE, status, total, hasMore), messages, null, 0, 0, LIVE);
	}

	static HistoryPage archive(ArchivedHistory history, HistoryQuery.Bounds bounds) {
		byte[] head = head(history.code(), history.sessionId(), ARCHIVE, "ended", history.total(), bounds.hasMore());
		if (bounds.size() == 0) {
			return new HistoryPage(head, List.of(), null, 0, 0, ARCHIVE);
		}
		return new HistoryPage(head, null, history.messagesRaw(), history.start(bounds.from()),
				history.end(bounds.to()), ARCHIVE);
	}

	/** A page of an archive too large to read whole, from the slice PostgreSQL cut. */
	static HistoryPage archive(ArchivedHistory history, HistoryQuery.Bounds bounds, byte[] slice) {
		byte[] head = head(history.code(), history.sessionId(), ARCHIVE, "ended", history.total(), bounds.hasMore());
		return new HistoryPage(head, null, slice, 0, slice.length, ARCHIVE);
	}

	String source() {
		return this.source;
	}

	long contentLength() {
		long length = this.head.length + END.length;
		if (this.archive != null) {
			return length + this.archiveEnd - this.archiveStart;
		}
		for (byte[] message : this.liveMessages) {
			length += message.length;
		}
		return length + Math.max(this.liveMessages.size() - 1, 0);
	}

	void writeTo(OutputStream out) throws IOException {
		out.write(this.head);
		if (this.archive != null) {
			out.write(this.archive, this.archiveStart, this.archiveEnd - this.archiveStart);
		}
		else {
			for (int i = 0; i < this.liveMessages.size(); i++) {
				if (i > 0) {
					out.write(',');
				}
				out.write(this.liveMessages.get(i));
			}
		}
		out.write(END);
	}

	/** Codes and ids are plain ASCII that needs no escaping ({@code RedisKeys.CODE}, UUIDs). */
	private static byte[] head(String code, UUID sessionId, String source, String status, long total,
			boolean hasMore) {
		return ("{\"code\":\"" + code + "\",\"sessionId\":\"" + sessionId + "\",\"source\":\"" + source
				+ "\",\"status\":\"" + status + "\",\"total\":" + total + ",\"hasMore\":" + hasMore + ",\"messages\":[")
			.getBytes(StandardCharsets.US_ASCII);
	}

}
