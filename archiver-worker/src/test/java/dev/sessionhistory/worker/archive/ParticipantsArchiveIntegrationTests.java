package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.model.JoinReply;
import dev.sessionhistory.model.Participant;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.RevokeReply;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.model.SessionScripts;
import dev.sessionhistory.worker.AbstractWorkerIntegrationTests;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.archive.ArchiveTable.Result;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Owners, participants and token epochs go into the archive with its row, exactly once,
 * and instances written before layout 3 are archived without them.
 */
@SpringBootTest(properties = { "history.archive.claim-ttl=2s", "history.archive.invalid-retry=10m" })
class ParticipantsArchiveIntegrationTests extends AbstractWorkerIntegrationTests {

	@Autowired
	private ArchiveWriter writer;

	@Autowired
	private ArchiveTable table;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Test
	void theOwnerAndTwoParticipantsAreArchivedWithTheRow() {
		String owner = "auth0|owner/1";
		Session session = writer().create("OWNED", 3_600_000, owner);
		session.appendAs(owner, "m1", "{\"id\":\"m1\",\"data\":1}");
		session.appendAs("google|u1", "m2", "{\"id\":\"m2\",\"data\":2}");
		assertThat(SessionScripts.join(this.keys, "OWNED", session.sid(), "u2", "read", 1000).run(this.redis))
			.isEqualTo(JoinReply.OK);
		assertThat(SessionScripts.revoke(this.keys, "OWNED", session.sid()).run(this.redis).tokenEpoch()).isEqualTo(1);
		session.end();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.isArchived(session) && !session.inRedis());
		this.rows.assertArchivedExactly(session, "ended");
		assertThat(this.rows.ownership(session.sid())).containsEntry("owner_id", owner).containsEntry("token_epoch", 1);
		assertThat(this.rows.users(session.sid())).containsExactly(owner + " owner read,append,end",
				"google|u1 participant read,append", "u2 participant read");
		assertThat(this.redis.hasKey(this.keys.participants("OWNED", session.sid()))).isFalse();
	}

	@Test
	void aRetriedCommitWritesEachUserOnceAndDoesNotFail() {
		ArchiveRow row = row(new SessionRef("RETRY", UUID.randomUUID()), "owner-r", 0)
			.withParticipants(List.of(new Participant("u1", "read,append"), new Participant("owner-r", "read")));
		assertThat(this.writer.insert(List.of(row))).containsEntry(row, Result.INSERTED);
		assertThat(this.writer.insert(List.of(row))).containsEntry(row, Result.ALREADY);
		// The statement itself run again, as a retried transaction would: nothing twice, no error.
		new TransactionTemplate(this.transactionManager)
			.executeWithoutResult((status) -> this.table.insertUsers(List.of(row)));
		assertThat(this.rows.users(row.ref().sessionId())).containsExactly("owner-r owner read,append,end",
				"u1 participant read,append");
	}

	@Test
	void aRevokeAfterTheClaimIsKept() {
		Session session = writer().create("REVOKED", 3_600_000, "owner-e");
		for (int i = 1; i <= 3; i++) {
			RevokeReply reply = SessionScripts.revoke(this.keys, "REVOKED", session.sid()).run(this.redis);
			assertThat(reply.tokenEpoch()).isEqualTo(i);
		}
		// Claimed at epoch 1, revoked twice since: the archive keeps 3, never goes back.
		ArchiveRow row = row(new SessionRef("REVOKED", session.sid()), "owner-e", 1);
		assertThat(this.writer.insert(List.of(row))).containsEntry(row, Result.INSERTED);
		assertThat(this.rows.ownership(session.sid())).containsEntry("token_epoch", 3);
	}

	@Test
	void aRevokeAfterTheCommitIsKeptByTheReadAfterIt() {
		Session session = writer().create("LATEREV", 3_600_000, "owner-l");
		ArchiveRow row = row(new SessionRef("LATEREV", session.sid()), "owner-l", 0);
		assertThat(this.writer.insert(List.of(row))).containsEntry(row, Result.INSERTED);
		assertThat(this.rows.ownership(session.sid())).containsEntry("token_epoch", 0);
		// The revoke lands after the commit, while the data is still in Redis: the attempt that
		// finds the row committed (a retry, after the read after the commit failed) raises it.
		SessionScripts.revoke(this.keys, "LATEREV", session.sid()).run(this.redis);
		assertThat(this.writer.insert(List.of(row))).containsEntry(row, Result.ALREADY);
		assertThat(this.rows.ownership(session.sid())).containsEntry("token_epoch", 1);
	}

	@Test
	void anInstanceOfLayoutTwoIsArchivedWithoutOwnerOrParticipants() {
		Session session = writer().create("LAYOUT2", 3_600_000).append(2);
		String meta = this.keys.meta("LAYOUT2", session.sid());
		this.redis.opsForHash().delete(meta, SessionMeta.OWNER, SessionMeta.TOKEN_EPOCH);
		this.redis.opsForHash().put(meta, SessionMeta.LAYOUT, "2");
		session.end();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.isArchived(session) && !session.inRedis());
		this.rows.assertArchivedExactly(session, "ended");
		Map<String, Object> ownership = this.rows.ownership(session.sid());
		assertThat(ownership.get("owner_id")).isNull();
		assertThat(ownership).containsEntry("token_epoch", 0);
		assertThat(this.rows.users(session.sid())).isEmpty();
	}

	@Test
	void aUsersHashOfManyScanWindowsIsArchivedWhole() {
		Session session = writer().create("CROWD", 3_600_000, "host").append(1);
		Map<String, String> users = new HashMap<>();
		for (int i = 0; i < 250; i++) {
			users.put("user-" + i, (i % 2 == 0) ? "read" : "read,append,end");
		}
		this.redis.opsForHash().putAll(this.keys.participants("CROWD", session.sid()), users);
		session.end();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.isArchived(session) && !session.inRedis());
		List<String> archived = this.rows.users(session.sid());
		assertThat(archived).hasSize(251).first().isEqualTo("host owner read,append,end");
		assertThat(archived).contains("user-0 participant read", "user-249 participant read,append,end");
	}

	@Test
	void aUsersHashAForeignWriterGotWrongKeepsItsSessionInRedis() {
		Session broken = writer().create("BADUSERS", 3_600_000).append(1);
		this.redis.opsForHash().put(this.keys.participants("BADUSERS", broken.sid()), "u1", "admin");
		Session fine = writer().create("GOODUSERS", 3_600_000).append(1);
		double before = this.meters.counter("history.archive.failures", "reason", "invalid-data").count();
		broken.end();
		fine.end();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.isArchived(fine));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.meters.counter("history.archive.failures", "reason", "invalid-data").count() > before);
		assertThat(this.rows.count(broken.sid())).isZero();
		assertThat(this.redis.opsForHash().get(this.keys.participants("BADUSERS", broken.sid()), "u1"))
			.isEqualTo("admin");
	}

	private static ArchiveRow row(SessionRef ref, String owner, long tokenEpoch) {
		Map<String, String> hash = new HashMap<>();
		hash.put(SessionMeta.SESSION_ID, ref.sessionId().toString());
		hash.put(SessionMeta.CODE, ref.code());
		hash.put(SessionMeta.CREATED_AT, "1764000000000");
		hash.put(SessionMeta.TTL_MILLIS, "60000");
		hash.put(SessionMeta.EXPIRES_AT, "1764000060000");
		hash.put(SessionMeta.STATUS, SessionMeta.ENDED);
		hash.put(SessionMeta.OWNER, owner);
		hash.put(SessionMeta.TOKEN_EPOCH, Long.toString(tokenEpoch));
		return ArchiveRow.of(ref, SessionMeta.fromHash(hash), 0);
	}

}
