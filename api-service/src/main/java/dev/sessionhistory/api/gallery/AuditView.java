package dev.sessionhistory.api.gallery;

import java.util.UUID;

import dev.sessionhistory.api.audit.AuditEntry;
import org.jspecify.annotations.Nullable;

/**
 * One row of the audit log as {@code GET /admin/api/audit} lists it.
 *
 * @param id the row's id
 * @param at when (ISO-8601): the first read (or export) of its window
 * @param adminId the admin's user id, {@code null} for a caller without one (open mode)
 * @param action {@code read} (the instance's page or history) or {@code export}
 * @param code the session's code
 * @param sessionId the instance
 */
record AuditView(long id, String at, @Nullable String adminId, String action, String code, UUID sessionId) {

	static AuditView of(AuditEntry entry) {
		return new AuditView(entry.id(), GallerySessionView.format(entry.at()), entry.adminId(), entry.action(),
				entry.code(), entry.sessionId());
	}

}
