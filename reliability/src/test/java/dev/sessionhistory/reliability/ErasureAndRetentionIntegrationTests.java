package dev.sessionhistory.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.IntPredicate;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.reliability.ErasureLedger.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 9: what is deleted stays deleted, and nothing else goes, across worker kills.
 * <p>
 * Retention: 20,000 archives of sessions that ended 40 days ago and 2,000 of 10 days ago,
 * written straight into PostgreSQL; the worker keeps archives 30 days and deletes 200 a
 * transaction, and is killed with SIGKILL part way. Started again, it deletes the rest:
 * every expired archive goes with its chunk and participant, every other one stays as it
 * was, and the kill left no batch half done.
 * <p>
 * Erasure: a wave of 1,500 sessions, a third erased through the API by their owner or the
 * admin, while live, right after their end or once archived, the worker killed mid-wave
 * and started again. Every erased instance has its row in the erasure log and nothing in
 * the archive or Redis; every other one is archived exactly once with every acknowledged
 * message.
 */
class ErasureAndRetentionIntegrationTests {

	static final String SCENARIO = "s9-erasure-and-retention";

	static final int EXPIRED = 20_000;

	static final int KEPT = 2_000;

	static final int RETENTION_DAYS = 30;

	static final int BATCH = 200;

	static final int SESSIONS = 1_200;

	private static Stack stack;

	private static ArchiveTables tables;

	private static TestRedis redis;

	@BeforeAll
	static void start() {
		Results.start(SCENARIO);
		stack = Stack.start(SCENARIO,
				Stack.Setup.standard()
					.withWorkerArgs("--history.retention.archive=" + RETENTION_DAYS + "d",
							"--history.retention.batch-size=" + BATCH, "--history.retention.interval=100ms",
							// Claims of the killed worker come back about when its successor is up.
							"--history.archive.claim-ttl=5s"));
		tables = Cleanup.register(new ArchiveTables(stack.postgres.jdbcUrl(Stack.DATABASE)));
		redis = Cleanup.register(TestRedis.connect(stack.redis.url()));
	}

	@AfterAll
	static void stop() {
		Cleanup.closeAll();
	}

	@Test
	void expiredAndErasedArchivesAreGoneForGoodAndEverythingElseIsKeptAcrossWorkerKills() {
		List<String> problems = new ArrayList<>();
		Seeded seeded = seedAndKillRetentionPartWay();
		stack.worker().start().awaitReady();
		int keptLost = retentionFinished(seeded, problems);
		ErasureWave wave = new ErasureWave(stack.client(), tables, SESSIONS).start();
		waveKilledMidway(wave);
		int erasedBack = checkErasures(wave, problems);
		int orphans = tables.orphans();
		if (orphans != 0) {
			problems.add(orphans + " chunks or participant rows without their archive");
		}

		Map<UUID, Archive.Row> rows = stack.archive.rows();
		Verdict checked = Verifier.verify(SCENARIO, wave.kept, rows);
		problems.addAll(0, checked.problems());
		wave.kept.sessions()
			.stream()
			.filter((session) -> !rows.containsKey(session.id))
			.forEach((session) -> problems.add("not archived: " + session.code + " " + session.id + ": in Redis "
					+ redis.describe(keys(), new SessionRef(session.code, session.id))));
		problems.addAll(wave.erased.problems());
		problems.addAll(wave.erasures.problems());
		Verdict verdict = new Verdict(SCENARIO, checked.sessions(), checked.messages(),
				2 + wave.erasures.erasures().size(), checked.lost() + keptLost, checked.duplicated(),
				checked.allowedLoss(), checked.maxLagSeconds(), problems)
			.report();
		verdict.assertClean();
		assertThat(erasedBack).as("erased back").isZero();
		assertThat(orphans).as("orphans").isZero();
		assertThat(wave.kept.sessions()).hasSize(SESSIONS - SESSIONS / 3);
		assertThat(wave.erasures.acknowledged()).as("erasures answered 204").isEqualTo(SESSIONS / 3);
	}

	/**
	 * Part one: the aged archives written, and the worker killed once a quarter of the
	 * expired ones are gone.
	 */
	private Seeded seedAndKillRetentionPartWay() {
		List<UUID> kept = tables.insertAged("kept-", KEPT, 10);
		Map<UUID, String> keptBefore = tables.digests(kept);
		List<UUID> expired = tables.insertAged("old-", EXPIRED, 40);
		// The worker is up, its retention runs every 100 ms: it starts on them at once.
		awaitExpired((left) -> left <= EXPIRED - EXPIRED / 4, Duration.ofSeconds(60));
		stack.worker().kill();
		// A batch whose COMMIT was sent before the kill still commits: count once it has.
		ServiceProcess.sleep(500);
		return new Seeded(kept, keptBefore, expired, tables.left(expired), System.nanoTime());
	}

	/**
	 * Part one, once the worker is up again: it deletes the rest, and nothing else.
	 * @return the kept archives lost or changed
	 */
	private int retentionFinished(Seeded seeded, List<String> problems) {
		ArchiveTables.Left atKill = seeded.atKill();
		int left = awaitExpired((count) -> count == 0, Duration.ofSeconds(60));
		double seconds = (System.nanoTime() - seeded.restartedAt()) / 1e9;
		int counted = awaitCounter(stack.worker(), "history_retention_deleted_total", atKill.archives());
		ArchiveTables.Left expiredLeft = tables.left(seeded.expired());
		Map<UUID, String> keptAfter = tables.digests(seeded.kept());
		int unchanged = (int) seeded.keptBefore()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().equals(keptAfter.get(entry.getKey())))
			.count();
		System.out.printf(Locale.ROOT,
				"%s: retention of %d expired and %d kept archives: killed after %d were deleted (%d batches of %d), "
						+ "%d left with %d chunks and %d participants; the restarted worker deleted them (its counter %d),"
						+ " done %.1f s after its start; left of the expired: %s; kept unchanged %d%n",
				SCENARIO, EXPIRED, KEPT, EXPIRED - atKill.archives(), (EXPIRED - atKill.archives()) / BATCH, BATCH,
				atKill.archives(), atKill.chunks(), atKill.participants(), counted, seconds, expiredLeft, unchanged);

		if (atKill.archives() == 0 || atKill.archives() == EXPIRED) {
			problems.add("retention was not part way at the kill: " + atKill.archives() + " of " + EXPIRED + " left");
		}
		if ((EXPIRED - atKill.archives()) % BATCH != 0 || atKill.chunks() != atKill.archives()
				|| atKill.participants() != atKill.archives()) {
			problems.add("a batch was half done at the kill: " + atKill);
		}
		if (left != 0 || expiredLeft.total() != 0) {
			problems.add("expired archives left after retention: " + left + " rows ended before the bound, " + expiredLeft);
		}
		if (counted != atKill.archives()) {
			problems.add("the restarted worker counted " + counted + " deleted archives, " + atKill.archives() + " were left");
		}
		if (unchanged != KEPT) {
			problems.add((KEPT - unchanged) + " of " + KEPT + " unexpired archives deleted or changed");
		}
		return KEPT - unchanged;
	}

	/**
	 * The aged archives and what was left of the expired ones at the kill.
	 *
	 * @param kept the unexpired archives
	 * @param keptBefore their digests when written
	 * @param expired the expired archives
	 * @param atKill what was left of them after the kill
	 * @param restartedAt when the worker was started again ({@link System#nanoTime()})
	 */
	private record Seeded(List<UUID> kept, Map<UUID, String> keptBefore, List<UUID> expired,
			ArchiveTables.Left atKill, long restartedAt) {
	}

	/** Part two: the wave with its erasures, the worker killed when half of it was driven. */
	private void waveKilledMidway(ErasureWave wave) {
		wave.clients().awaitProgress(SESSIONS / 2, Duration.ofSeconds(90));
		stack.archive.awaitCount((n) -> n > KEPT, Duration.ofSeconds(30));
		int refusedBefore = refused(stack.worker());
		stack.worker().kill();
		int drivenAtKill = wave.clients().done();
		int archivedAtKill = stack.archive.count() - KEPT;
		stack.worker().start().awaitReady();

		wave.await(Duration.ofSeconds(150));
		List<UUID> kept = wave.kept.sessions().stream().map((session) -> session.id).toList();
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while ((tables.archived(kept).size() < kept.size() || dueMembers(redis) > 0)
				&& System.nanoTime() < deadline) {
			ServiceProcess.sleep(250);
		}
		// Let a late archive, if any, show up before checking.
		ServiceProcess.sleep(1000);
		System.out.printf(Locale.ROOT,
				"%s: killed the worker after %d of %d sessions were driven and %d archived; the workers refused %d "
						+ "erased instances (%d before the kill)%n",
				SCENARIO, drivenAtKill, SESSIONS, archivedAtKill, refusedBefore + refused(stack.worker()),
				refusedBefore);
	}

	/**
	 * Every erased instance: its erasure answered 204, logged where the stage says, nothing of
	 * it in the archive or in Redis.
	 * @return the erased instances archived anyway ("erased back")
	 */
	private int checkErasures(ErasureWave wave, List<String> problems) {
		ErasureLedger erasures = wave.erasures;
		Map<UUID, ArchiveTables.Logged> log = tables.erasureLog(erasures.ids());
		List<UUID> back = tables.archived(erasures.ids());
		ArchiveTables.Left left = tables.left(erasures.ids());
		List<SessionRef> inRedis = erasures.leftInRedis(redis, keys());
		int inOwnersIndex = erasures.leftInOwnersIndex(redis, keys(), log);
		Map<Stage, Map<String, Integer>> found = new EnumMap<>(Stage.class);
		for (ErasureLedger.Erasure erasure : erasures.erasures()) {
			ArchiveTables.Logged logged = log.get(erasure.ref().sessionId());
			String where = (logged != null) ? logged.found() : "not logged";
			found.computeIfAbsent(erasure.stage(), (stage) -> new TreeMap<>()).merge(where, 1, Integer::sum);
			boolean expected = switch (erasure.stage()) {
				case LIVE -> "live".equals(where);
				case ENDED -> "ended".equals(where) || "archived".equals(where);
				// The worker purges Redis after its archive row committed: an instance whose row
				// was just seen may still be found there first, and its row goes all the same.
				case ARCHIVED -> "archived".equals(where) || "ended".equals(where);
			};
			if (!expected) {
				problems.add(erasure.ref().member() + " erased at stage " + erasure.stage() + ", logged as " + where);
			}
		}
		System.out.printf(Locale.ROOT,
				"%s: erased %d instances, found by stage %s; answers %s; erased back %d, left in the archive: %s; "
						+ "left in Redis %d (still in their owner's index of sessions %d)%n",
				SCENARIO, erasures.erasures().size(), found, erasures.answers(), back.size(), left, inRedis.size(),
				inOwnersIndex);

		if (wave.erased.sessions().size() != SESSIONS / 3 || erasures.erasures().size() != SESSIONS / 3) {
			problems.add(wave.erased.sessions().size() + " sessions to erase created, " + erasures.erasures().size()
					+ " erased, of " + SESSIONS / 3);
		}
		back.forEach((id) -> problems.add(id + " was erased, and archived"));
		if (left.total() != 0) {
			problems.add("left of the erased instances in the archive: " + left);
		}
		inRedis.forEach((ref) -> problems.add(ref.member() + " was erased, and Redis still holds some of it"));
		return back.size();
	}

	private static int awaitExpired(IntPredicate done, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		int left = tables.endedBefore(RETENTION_DAYS);
		while (!done.test(left) && System.nanoTime() < deadline) {
			ServiceProcess.sleep(10);
			left = tables.endedBefore(RETENTION_DAYS);
		}
		return left;
	}

	/** Polls a worker's counter until it reaches {@code expected} (a batch is counted after its commit). */
	private static int awaitCounter(ServiceProcess worker, String name, int expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		int value = (int) Metrics.sum(worker.scrape(), name, "");
		while (value < expected && System.nanoTime() < deadline) {
			ServiceProcess.sleep(100);
			value = (int) Metrics.sum(worker.scrape(), name, "");
		}
		return value;
	}

	/** Instances a worker did not archive because they were erased first. */
	private static int refused(ServiceProcess worker) {
		return (int) Metrics.sum(worker.scrape(), "history_archive_erased_total", "");
	}

	private static RedisKeys keys() {
		return RedisKeys.withPrefix(Stack.KEY_PREFIX);
	}

	/** How many members the due index's buckets hold together. */
	private static long dueMembers(TestRedis redis) {
		long count = 0;
		for (int bucket = 0; bucket < keys().dueBuckets(); bucket++) {
			count += redis.commands().zcard(keys().dueBucket(bucket));
		}
		return count;
	}

}
