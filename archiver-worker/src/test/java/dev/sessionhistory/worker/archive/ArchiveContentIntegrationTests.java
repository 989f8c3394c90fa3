package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.worker.AbstractWorkerIntegrationTests;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What goes into the archive when Redis holds data a foreign writer got wrong, and when a
 * code is reused while its old instance still waits.
 */
@SpringBootTest(properties = "history.archive.claim-ttl=2s")
class ArchiveContentIntegrationTests extends AbstractWorkerIntegrationTests {

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void malformedEntriesAreKeptWrappedAndCountedWithoutBlockingAnySession() {
		SessionWriter writer = writer();
		Session broken = writer.create("BAD1", 3_600_000);
		String first = broken.append("m1", "{\"id\":\"m1\",\"data\":1}");
		List<String> foreign = List.of("not json", "[1,2]", "{\"seq\":4,\"text\":\"a\\u0000b\"}",
				"{\"seq\":5,\"text\":\"\\ud800\"}", "nul \u0000 char", "{\"seq\":7,\"n\":1e1000000}");
		foreign.forEach(broken::appendForeign);
		String last = broken.append("m8", "{\"id\":\"m8\",\"data\":{\"emoji\":\"\\ud83d\\ude00\"}}");
		Session healthy = writer.create("GOOD1", 3_600_000).append(5);
		double malformedBefore = this.meters.counter("history.archive.malformed").count();
		broken.end();
		healthy.end();

		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.rows.isArchived(broken) && this.rows.isArchived(healthy));
		this.rows.assertArchivedExactly(healthy, "ended");
		Map<String, Object> row = this.rows.row(broken.sid());
		assertThat(row).containsEntry("message_count", 8).containsEntry("malformed_count", 6);
		List<String> messages = this.rows.messages(broken.sid());
		assertThat(messages).hasSize(8);
		assertThat(messages.get(0)).isEqualTo(first);
		assertThat(messages.get(7)).isEqualTo(last);
		List<String> raws = this.jdbc.queryForList("""
				SELECT e->>'raw' FROM session_history_chunk, jsonb_array_elements(messages) WITH ORDINALITY AS m(e, i)
				WHERE session_id = ? AND (e->>'malformed')::boolean ORDER BY first_seq, i
				""", String.class, broken.sid());
		assertThat(raws).containsExactly("not json", "[1,2]", "{\"seq\":4,\"text\":\"a\\u0000b\"}",
				"{\"seq\":5,\"text\":\"\\ud800\"}", "nul \\u0000 char", "{\"seq\":7,\"n\":1e1000000}");
		List<Integer> seqs = this.jdbc.queryForList("""
				SELECT (e->>'seq')::int
				FROM session_history_chunk, jsonb_array_elements(messages) WITH ORDINALITY AS m(e, i)
				WHERE session_id = ? ORDER BY first_seq, i
				""", Integer.class, broken.sid());
		assertThat(seqs).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
		assertThat(this.meters.counter("history.archive.malformed").count() - malformedBefore).isEqualTo(6);
		await().atMost(Duration.ofSeconds(2)).until(() -> !broken.inRedis());
	}

	@Test
	void hugeNumbersAndDeepNestingAreArchivedAsTheyAre() {
		SessionWriter writer = writer();
		Session extreme = writer.create("HUGE1", 3_600_000);
		String number = extreme.append("n", "{\"id\":\"n\",\"data\":" + "9".repeat(2_000) + "}");
		String deep = extreme.append("d", "{\"id\":\"d\",\"data\":" + "[".repeat(600) + "]".repeat(600) + "}");
		Session healthy = writer.create("GOOD2", 3_600_000).append(3);
		extreme.end();
		healthy.end();

		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.rows.isArchived(extreme) && this.rows.isArchived(healthy));
		assertThat(this.rows.row(extreme.sid())).containsEntry("malformed_count", 0);
		assertThat(this.rows.messages(extreme.sid())).containsExactly(number, deep);
		this.rows.assertArchivedExactly(healthy, "ended");
	}

	@Test
	void aMetaHashAForeignWriterGotWrongStaysInRedisAndBlocksNoOtherSession() {
		SessionWriter writer = writer();
		Session wrong = writer.create("META1", 3_600_000).append(2);
		this.redis.opsForHash().put(this.keys.meta("META1", wrong.sid()), SessionMeta.CREATED_AT, "yesterday");
		Session right = writer.create("META2", 3_600_000).append(2);
		double failuresBefore = this.meters.counter("history.archive.failures", "reason", "invalid-data").count();
		wrong.end();
		right.end();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.isArchived(right));
		this.rows.assertArchivedExactly(right, "ended");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.meters.counter("history.archive.failures", "reason", "invalid-data")
				.count() > failuresBefore);
		assertThat(this.rows.count(wrong.sid())).isZero();
		assertThat(this.redis.opsForList().range(this.keys.messages("META1", wrong.sid()), 0, -1))
			.containsExactlyElementsOf(wrong.acknowledged());
		Double retryAt = this.redis.opsForZSet().score(this.keys.due(wrong.code()), wrong.member());
		assertThat(retryAt).isGreaterThan(System.currentTimeMillis() + Duration.ofMinutes(9).toMillis());
	}

	@Test
	void aCodeReusedWhileItsOldInstanceWaitsNeverMixesMessages() {
		SessionWriter writer = writer();
		Session old = writer.create("REUSE", 3_600_000).append(3);
		// Another worker holds the old instance for a while, so it waits for its archive.
		this.redis.opsForValue()
			.set(this.keys.claim("REUSE", old.sid()), "another-worker", Duration.ofMillis(2500));
		old.end();
		this.redis.opsForSet().remove(this.keys.pending("REUSE"), old.sid().toString());
		Session reused = writer.create("REUSE", 1500).append(4);

		await().atMost(Duration.ofSeconds(5)).until(() -> this.rows.isArchived(reused));
		this.rows.assertArchivedExactly(reused, "expired");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.isArchived(old));
		this.rows.assertArchivedExactly(old, "ended");
		// Purged after the commit, in the round trip that follows it.
		await().atMost(Duration.ofSeconds(2)).until(() -> !old.inRedis() && !reused.inRedis());
	}

}
