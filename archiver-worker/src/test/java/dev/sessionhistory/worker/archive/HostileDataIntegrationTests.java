package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.model.CreateReply;
import dev.sessionhistory.model.EndReply;
import dev.sessionhistory.model.SessionScripts;
import dev.sessionhistory.worker.AbstractWorkerIntegrationTests;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Data other writers put into Redis never makes the worker lose a message or stop
 * archiving the others.
 */
@SpringBootTest(properties = { "history.archive.claim-ttl=2s", "history.archive.invalid-retry=10m" })
class HostileDataIntegrationTests extends AbstractWorkerIntegrationTests {

	@Test
	void aReusedSessionIdIsAConflictAndItsDataStaysInRedis() {
		SessionWriter writer = writer();
		Session first = writer.create("REUSE1", 3_600_000).append(2).end();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.isArchived(first) && !first.inRedis());
		double conflictsBefore = failures("conflict");

		// A foreign writer creates another instance with the same id, under another code.
		long now = System.currentTimeMillis();
		assertThat(run(SessionScripts.create(this.keys, "REUSE2", first.sid(), now, 3_600_000, "", 3600, null)))
			.isEqualTo(CreateReply.OK);
		this.redis.opsForZSet().add(this.keys.due("REUSE2"), "REUSE2 " + first.sid(), now);
		assertThat(run(SessionScripts.end(this.keys, "REUSE2", first.sid(), now))).isEqualTo(EndReply.ENDED);

		await().atMost(Duration.ofSeconds(10)).until(() -> failures("conflict") > conflictsBefore);
		// The first archive is untouched, the second instance is not purged and waits.
		this.rows.assertArchivedExactly(first, "ended");
		assertThat(this.redis.hasKey(this.keys.meta("REUSE2", first.sid()))).isTrue();
		Double retryAt = this.redis.opsForZSet().score(this.keys.due("REUSE2"), "REUSE2 " + first.sid());
		assertThat(retryAt).isGreaterThan(System.currentTimeMillis() + Duration.ofMinutes(9).toMillis());
	}

	@Test
	void dueMembersWithUpperCaseIdsAreSetAsideAndTheSweepGoesOn() {
		SessionWriter writer = writer();
		long past = System.currentTimeMillis() - 60_000;
		Map<String, Double> junk = new HashMap<>();
		// All in the bucket of the session behind them.
		int bucket = this.keys.dueBucketOf("BEHIND");
		for (int i = 0; junk.size() < 600; i++) {
			if (this.keys.dueBucketOf("UPPER" + i) == bucket) {
				junk.put("UPPER" + i + " " + UUID.randomUUID().toString().toUpperCase(Locale.ROOT), (double) past - i);
			}
		}
		junk.forEach((member, score) -> this.redis.opsForZSet().add(this.keys.dueBucket(bucket), member, score));
		// Ended sessions whose end event is lost: only the sweep finds them, behind the junk.
		Session behind = writer.create("BEHIND", 3_600_000).append(3);
		this.redis.delete(this.keys.live("BEHIND"));
		this.redis.opsForZSet().add(this.keys.due(behind.code()), behind.member(), System.currentTimeMillis());

		await().atMost(Duration.ofSeconds(15)).until(() -> this.rows.isArchived(behind));
		this.rows.assertArchivedExactly(behind, "expired");
		long stillDue = junk.keySet()
			.stream()
			.filter((member) -> {
				Double score = this.redis.opsForZSet().score(this.keys.dueBucket(bucket), member);
				return score != null && score < System.currentTimeMillis();
			})
			.count();
		assertThat(stillDue).as("junk members still due").isZero();
		assertThat(junk.keySet()).allMatch((member) -> this.redis.opsForZSet().score(this.keys.dueBucket(bucket), member) != null);
	}

	@Test
	void aMessageListOfTheWrongTypeFailsOnlyItsOwnSession() {
		SessionWriter writer = writer();
		Session broken = writer.create("WRONGTYPE", 3_600_000);
		this.redis.opsForValue().set(this.keys.messages("WRONGTYPE", broken.sid()), "not a list");
		Session fine = writer.create("FINE", 3_600_000).append(4);
		double before = failures("invalid-data");
		broken.end();
		fine.end();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.isArchived(fine));
		this.rows.assertArchivedExactly(fine, "ended");
		await().atMost(Duration.ofSeconds(5)).until(() -> failures("invalid-data") > before);
		assertThat(this.rows.count(broken.sid())).isZero();
		assertThat(this.redis.opsForValue().get(this.keys.messages("WRONGTYPE", broken.sid()))).isEqualTo("not a list");
		assertThat(this.meters.find("history.archive.isolated").gauge().value()).isPositive();
	}

	private <R> R run(SessionScripts.Call<R> call) {
		return call.run(this.redis);
	}

	private double failures(String reason) {
		return this.meters.counter("history.archive.failures", "reason", reason).count();
	}

}
