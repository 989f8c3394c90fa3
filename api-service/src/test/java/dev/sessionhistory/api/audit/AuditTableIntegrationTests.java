package dev.sessionhistory.api.audit;

import java.time.Instant;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL keeps one row per admin, action, instance and window whichever replica writes
 * it (a replica's memory of its own rows only spares the statement), also for open mode's
 * callers without a user id.
 */
@RealServers
class AuditTableIntegrationTests extends AbstractApiIntegrationTests {

	@Autowired
	AuditTable table;

	@Test
	void aWindowHasOneRowPerAdminActionAndInstance() {
		UUID sessionId = UUID.randomUUID();
		Instant window = Instant.parse("2026-12-01T10:00:00Z");
		Instant next = window.plus(AdminAudit.WINDOW);
		assertThat(this.table.insert(window.plusSeconds(1), window, "admin-a", AuditAction.READ, "C1", sessionId))
			.isTrue();
		assertThat(this.table.insert(window.plusSeconds(2), window, "admin-a", AuditAction.READ, "C1", sessionId))
			.isFalse();
		assertThat(this.table.insert(window.plusSeconds(3), window, "admin-b", AuditAction.READ, "C1", sessionId))
			.isTrue();
		assertThat(this.table.insert(window.plusSeconds(4), window, "admin-a", AuditAction.EXPORT, "C1", sessionId))
			.isTrue();
		assertThat(this.table.insert(next, next, "admin-a", AuditAction.READ, "C1", sessionId)).isTrue();
		assertThat(this.table.insert(window.plusSeconds(5), window, null, AuditAction.READ, "C1", sessionId)).isTrue();
		assertThat(this.table.insert(window.plusSeconds(6), window, null, AuditAction.READ, "C1", sessionId)).isFalse();

		assertThat(this.table.list(null, "C1", null, 100)).extracting(AuditEntry::at)
			.containsExactly(next, window.plusSeconds(5), window.plusSeconds(4), window.plusSeconds(3),
					window.plusSeconds(1));
		assertThat(this.table.list("admin-a", null, null, 100)).extracting(AuditEntry::action)
			.containsExactly("read", "export", "read");
	}

}
