package dev.sessionhistory.api.audit;

import java.time.Instant;
import java.util.UUID;

import dev.sessionhistory.api.paging.Cursor;
import org.jspecify.annotations.Nullable;

/**
 * One row of the audit log.
 *
 * @param id its row id, which orders rows of the same time
 * @param at when the admin's first call of its window came
 * @param adminId the admin's user id, {@code null} for a caller without one (open mode)
 * @param action {@code read} or {@code export}
 * @param code the session's code
 * @param sessionId the instance
 */
public record AuditEntry(long id, Instant at, @Nullable String adminId, String action, String code,
		UUID sessionId) {

	/** Where it lies in the log, newest first. */
	public Cursor position() {
		return new Cursor(this.at, this.id);
	}

}
