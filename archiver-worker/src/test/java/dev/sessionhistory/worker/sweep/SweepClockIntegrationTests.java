package dev.sessionhistory.worker.sweep;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.testsupport.RealServers;
import dev.sessionhistory.worker.ArchiveRows;
import dev.sessionhistory.worker.RowsConfiguration;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.awaitility.Awaitility.await;

/**
 * The worker tells the time by the application's {@link Clock}: with one an hour ahead, the
 * sweep finds due an ended instance that the system clock would see due only in half an hour.
 */
@RealServers
@Import(RowsConfiguration.class)
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = "history.sweep.interval=200ms")
class SweepClockIntegrationTests {

	private static final Duration AHEAD = Duration.ofHours(1);

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private RedisKeys keys;

	@Autowired
	private ArchiveRows rows;

	@Test
	void theSweepReadsTheDueIndexAtTheTimeOfTheClockBean() {
		Session session = new SessionWriter(this.redis, this.keys).create("LATER", 3_600_000).append(2);
		long now = System.currentTimeMillis();
		// An end whose event is lost, due in half an hour by the system clock.
		this.redis.delete(this.keys.live(session.code()));
		this.redis.opsForHash()
			.putAll(this.keys.meta(session.code(), session.sid()), Map.of(SessionMeta.STATUS, SessionMeta.ENDED,
					SessionMeta.ENDED_AT, String.valueOf(now), SessionMeta.END_REASON, SessionMeta.REASON_ENDED));
		this.redis.opsForZSet().add(this.keys.due(), session.member(), now + Duration.ofMinutes(30).toMillis());

		await().atMost(Duration.ofSeconds(10)).until(() -> this.rows.isArchived(session));
		this.rows.assertArchivedExactly(session, "ended");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class AheadClock {

		@Bean
		Clock aheadClock() {
			return Clock.offset(Clock.systemUTC(), AHEAD);
		}

	}

}
