package dev.sessionhistory.api.archive;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How PostgreSQL runs {@link ArchiveTable}'s statements, on a table large enough for it to
 * plan as it would in production.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
@RealServers
class ArchiveTableIntegrationTests {

	@Autowired
	JdbcClient jdbc;

	@Test
	void thePageQueriesWalkTheCodeEndedAtIndex() {
		// Enough rows, and statistics, for PostgreSQL to plan as it would in production.
		this.jdbc.sql("""
				INSERT INTO session_history (session_id, session_code, message_count, created_at,
				    ended_at, end_reason)
				SELECT gen_random_uuid(), CASE WHEN g % 10 = 0 THEN 'PLAN' ELSE 'PLAN-' || (g % 997) END, 0,
				    timestamptz '2026-11-24 06:00:00+00' - g * interval '1 minute',
				    timestamptz '2026-11-24 07:00:00+00' - g * interval '1 minute', 'expired'
				FROM generate_series(1, 5000) g
				""").update();
		this.jdbc.sql("ANALYZE session_history").update();
		String first = plan(ArchiveTable.FIRST_PAGE, "PLAN", 101);
		String next = plan(ArchiveTable.NEXT_PAGE, "PLAN",
				Instant.parse("2026-11-24T05:00:00Z").atOffset(ZoneOffset.UTC), 42L, 101);
		for (String plan : List.of(first, next)) {
			// An index gives the order: at most the rows of one ended_at are sorted by id. With
			// a code this common (a tenth of all archives) PostgreSQL may walk retention's
			// ended_at index and filter by code, which reads as few rows; for a code with few
			// archives it takes (code, ended_at).
			assertThat(plan).as(plan)
				.containsPattern("Index Scan (Backward )?using session_history_(code_)?ended_at on session_history")
				.doesNotContainPattern("(^|->  )Sort ");
		}
		assertThat(next).as(next).containsPattern("Index Cond: .*ended_at <= ");
	}

	private String plan(String sql, Object... params) {
		StringBuilder plan = new StringBuilder();
		this.jdbc.sql("EXPLAIN " + sql).params(params).query((row) -> {
			plan.append(row.getString(1).strip()).append('\n');
		});
		return plan.toString();
	}

}
