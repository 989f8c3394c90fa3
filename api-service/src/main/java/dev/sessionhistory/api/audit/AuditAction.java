package dev.sessionhistory.api.audit;

import java.util.Locale;

/**
 * What an admin did with a session instance, as {@code admin_audit.action} stores it.
 */
public enum AuditAction {

	/** Read its page or its history in the Session Gallery. */
	READ,

	/** Exported its messages. */
	EXPORT;

	/** The stored name: {@code read}, {@code export}. */
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

}
