package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.sessionhistory.model.MessageJson;
import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import dev.sessionhistory.worker.WorkerServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session far larger than any reply Redis should give is archived exactly, without one
 * long command and beside innocent sessions. Judged by Redis' own figures on a server of
 * the test's own: a client whose reply passes 8 MB is disconnected
 * ({@code client-output-buffer-limit}), so a worker claiming the whole list at once never
 * archives it; and every command over 10 ms is in the slow log.
 */
class LargeSessionIntegrationTests {

	@RegisterExtension
	static final WorkerServers servers = WorkerServers.ownRedis("--client-output-buffer-limit", "normal 8mb 8mb 0",
			"--slowlog-log-slower-than", "10000", "--slowlog-max-len", "1024");

	@Test
	void aSessionOfSixtyFourMegabytesIsArchivedInBoundedWindowsBesideInnocentOnes() {
		ArchiveRows rows = servers.rows();
		SessionWriter writer = servers.writer();
		try (ConfigurableApplicationContext worker = servers.startWorker();
				RedisClient client = RedisClient.create(servers.redis().url());
				StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			// 4,000 messages of 16 KB: what an ordinary session may hold, 64 MB.
			Session large = writer.create("LARGE", 3_600_000);
			String text = "x".repeat(16_000);
			for (int i = 0; i < 4_000; i++) {
				String id = "m" + i;
				large.append(id, MessageJson.unsequenced(id, Instant.now(), "u", "chat",
						"{\"text\":\"" + text + "\"}"));
			}
			List<Session> innocent = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				innocent.add(writer.create("SMALL" + i, 3_600_000).append(3));
			}
			commands.slowlogReset();
			large.end();
			innocent.forEach(Session::end);

			await().atMost(Duration.ofSeconds(60)).until(() -> rows.count(innocent) == innocent.size());
			rows.assertAllArchivedExactly(innocent);
			await().atMost(Duration.ofSeconds(60)).until(() -> rows.isArchived(large));
			rows.assertArchivedExactly(large, "ended");
			rows.assertChunksContiguous(large.sid(), ArchiveChunk.MAX_MESSAGES);
			await().atMost(Duration.ofSeconds(10)).until(() -> !large.inRedis());

			// No command of the worker failed (a reply over 8 MB would have cut its connection),
			// and none took 10 ms.
			MeterRegistry meters = worker.getBean(MeterRegistry.class);
			assertThat(meters.counter("history.archive.failures", "reason", "redis").count()).isZero();
			List<Object> slow = commands.slowlogGet(1024);
			assertThat(slow).as("commands slower than 10 ms: %s", slow).isEmpty();
		}
	}

}
