package dev.sessionhistory.api.gallery;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import dev.sessionhistory.api.audit.AdminAudit;
import dev.sessionhistory.api.audit.AuditAction;
import dev.sessionhistory.api.history.HistoryPage;
import dev.sessionhistory.api.history.HistoryQuery;
import dev.sessionhistory.api.history.HistoryReader;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Writes every message of an instance to the response as it reads them, one history page
 * at a time through {@link HistoryReader} (the largest pages it cuts, 1000 messages or
 * {@code history.page.max-bytes}), so the export holds one page in memory, never the
 * session, and its bytes are exactly those of the history's pages (NDJSON writes a line
 * break inside a foreign writer's message as a space, {@link OneLine}).
 * <p>
 * The export is of the messages the instance held when it started: seqs 1 to the
 * {@code total} of its first page. Messages never change once appended and seqs have no
 * gaps, so that is a consistent snapshot of a live session too, whatever is appended
 * meanwhile; an instance archived meanwhile is read on from its archive, byte for byte the
 * same. The first page is read and the export recorded in the audit log before anything is
 * answered, so an unknown instance is a {@code 404} and an audit log that cannot be written
 * a {@code 503}; once the answer has begun, a failure cuts the transfer short
 * ({@link ExportInterruptedException}).
 */
@Component
class SessionExport {

	/** What is written to the connection at once. */
	static final int BUFFER_BYTES = 64 * 1024;

	private final HistoryReader reader;

	private final AdminAudit audit;

	SessionExport(HistoryReader reader, AdminAudit audit) {
		this.reader = reader;
		this.audit = audit;
	}

	void export(@Nullable String admin, InstanceRef ref, ExportFormat format, HttpServletResponse response)
			throws IOException {
		HistoryPage page = read(ref, 0);
		long end = page.total();
		this.audit.record(admin, AuditAction.EXPORT, ref.code(), ref.sessionId());
		response.setContentType(format.mediaType());
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
			.filename(ref.code() + "-" + ref.sessionId() + "." + format.extension())
			.build()
			.toString());
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		// begun: from here on a failure can only cut the transfer short, whatever its size
		response.flushBuffer();
		OutputStream out = new BufferedOutputStream(response.getOutputStream(), BUFFER_BYTES);
		OutputStream messages = format.messages(out);
		long written = 0;
		try {
			out.write(format.open());
			while (written < end) {
				int count = (int) Math.min(page.size(), end - written);
				if (count == 0) {
					throw new IllegalStateException("the history ends at seq " + written + " of " + end);
				}
				for (int i = 0; i < count; i++) {
					if (written + i > 0) {
						out.write(format.between());
					}
					page.writeMessage(i, messages);
					out.write(format.after());
				}
				written += count;
				if (written < end) {
					page = read(ref, written);
				}
			}
			out.write(format.close());
			out.flush();
		}
		catch (RuntimeException ex) {
			throw new ExportInterruptedException(ref, written, ex);
		}
	}

	private HistoryPage read(InstanceRef ref, long after) {
		return this.reader.read(ref.code(), ref.sessionId(), HistoryQuery.after(after)).page();
	}

}
