package dev.sessionhistory.worker.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.testsupport.PrivateRedis;
import dev.sessionhistory.testsupport.PrivateRedisCluster;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.redis.RedisNodes;
import dev.sessionhistory.worker.sweep.PendingScan.Step;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconcile's steps against a Redis of their own, whose whole keyspace the test
 * knows: each step is bounded by the batch, and the steps of a pass cover every pending
 * set, huge and foreign ones included.
 */
class PendingScanIntegrationTests {

	private static final int MAX_STEPS = 10_000;

	private static PrivateRedis redis;

	private static SessionWriter writer;

	@BeforeAll
	static void startRedis() {
		redis = PrivateRedis.start();
		writer = SessionWriter.connect(redis.url(), "sh");
	}

	@AfterAll
	static void stopRedis() {
		if (writer != null) {
			writer.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void aStepReadsAtMostTheBatchOfPendingSetsAndAPassCoversThemAll() {
		RedisKeys keys = writer.keys();
		List<Session> unindexed = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			Session session = writer.create("MANY" + i, 3_600_000).append(1);
			writer.redis().opsForZSet().remove(keys.due(session.code()), session.member());
			unindexed.add(session);
		}
		PendingScan scan = new PendingScan(index(writer), 10);
		assertThat(scan.atStart()).isTrue();

		List<Step> pass = pass(scan, 1000);
		assertThat(pass).allSatisfy((step) -> {
			assertThat(step.sets()).isLessThanOrEqualTo(10);
			assertThat(step.reindexed()).isLessThanOrEqualTo(10);
		});
		assertThat(pass).hasSizeGreaterThanOrEqualTo(6);
		assertThat(pass.stream().mapToLong(Step::reindexed).sum()).isEqualTo(60);
		assertThat(unindexed).allSatisfy((session) -> assertThat(writer.redis().opsForZSet().score(keys.due(session.code()),
				session.member()))
			.isEqualTo(1000.0));
		assertThat(scan.atStart()).isTrue();

		// The next pass finds them all indexed.
		assertThat(pass(scan, 2000).stream().mapToLong(Step::reindexed).sum()).isZero();
		assertThat(writer.redis().opsForZSet().score(keys.due(unindexed.get(0).code()), unindexed.get(0).member())).isEqualTo(1000.0);
	}

	@Test
	void aHugeSetIsReadAPageAStepAndAKeyOfTheWrongTypeIsSkipped() {
		RedisKeys keys = writer.keys();
		List<String> huge = new ArrayList<>();
		for (int i = 0; i < 3000; i++) {
			huge.add(UUID.randomUUID().toString());
		}
		for (int i = 0; i < huge.size(); i += 500) {
			writer.redis().opsForSet().add(keys.pending("HUGE"), huge.subList(i, i + 500).toArray(String[]::new));
		}
		writer.redis().opsForValue().set(keys.pending("ODD"), "not a set");
		Session unindexed = writer.create("NEXTTOODD", 3_600_000).append(1);
		writer.redis().opsForZSet().remove(keys.due(unindexed.code()), unindexed.member());
		PendingScan scan = new PendingScan(index(writer), 100);

		List<Step> pass = pass(scan, 3000);
		// COUNT is a hint: a page may hold a few more members than asked for, never the whole set.
		assertThat(pass).allSatisfy((step) -> assertThat(step.members()).isLessThan(300));
		assertThat(pass.stream().filter((step) -> step.members() > 0)).hasSizeGreaterThanOrEqualTo(10);
		assertThat(pass.stream().flatMap((step) -> step.wrongType().stream())).contains("ODD");
		assertThat(writer.redis().opsForZSet().score(keys.due(unindexed.code()), unindexed.member())).isEqualTo(3000.0);
		assertThat(huge).allSatisfy(
				(sid) -> assertThat(writer.redis().opsForZSet().score(keys.due("HUGE"), "HUGE " + sid)).isEqualTo(3000.0));
	}

	@Test
	void onAClusterAPassWalksEveryMaster() {
		try (PrivateRedisCluster cluster = PrivateRedisCluster.start(3, 0);
				SessionWriter onCluster = SessionWriter.connect(
						new RedisClusterConfiguration(List.of(cluster.nodes().split(","))), "sh")) {
			RedisKeys keys = onCluster.keys();
			List<Session> unindexed = new ArrayList<>();
			for (int i = 0; i < 90; i++) {
				Session session = onCluster.create("SPREAD" + i, 3_600_000).append(1);
				onCluster.redis().opsForZSet().remove(keys.due(session.code()), session.member());
				unindexed.add(session);
			}
			// the codes' slots are on all three masters
			assertThat(unindexed.stream().map((session) -> SlotHash.getSlot(session.code()) * 3 / SlotHash.SLOT_COUNT)
				.distinct()).hasSize(3);
			PendingScan scan = new PendingScan(index(onCluster), 20);

			List<Step> pass = pass(scan, 5000);
			assertThat(pass.stream().mapToLong(Step::reindexed).sum()).isEqualTo(90);
			assertThat(unindexed).allSatisfy((session) -> assertThat(
					onCluster.redis().opsForZSet().score(keys.due(session.code()), session.member()))
				.isEqualTo(5000.0));
			assertThat(pass(scan, 6000).stream().mapToLong(Step::reindexed).sum()).isZero();
		}
	}

	private static DueIndex index(SessionWriter writer) {
		return new DueIndex(writer.redis(), writer.keys(), new RedisNodes(writer.connectionFactory(), writer.redis()));
	}

	/** Steps until a pass is complete. */
	private static List<Step> pass(PendingScan scan, long now) {
		List<Step> steps = new ArrayList<>();
		do {
			steps.add(scan.step(now));
			assertThat(steps).as("steps of one pass").hasSizeLessThan(MAX_STEPS);
		}
		while (!steps.get(steps.size() - 1).passComplete());
		return steps;
	}

}
