package dev.sessionhistory.api.live;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.model.CreateReply;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionScripts;
import dev.sessionhistory.testsupport.RealServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding and reading the current instance of a code, counted in round trips to Redis:
 * every command, script or pipeline the API sends goes through the template's callback.
 */
@RealServers
class LiveSessionsIntegrationTests extends AbstractApiIntegrationTests {

	private static final Duration TTL = Duration.ofMinutes(10);

	@Autowired
	LivePages pages;

	@Autowired
	LiveSessions live;

	@Autowired
	CountingRedisTemplate counting;

	@Autowired
	MeterRegistry registry;

	@Test
	void aLiveSessionIsReadInOneRoundTrip() {
		UUID sid = UUID.randomUUID();
		assertThat(this.live.create("ONE", sid, now(), TTL, null, null)).isEqualTo(CreateReply.OK);
		int before = trips();
		Optional<LivePage> page = this.pages.readCurrent("ONE", "latest", 0, 10);
		assertThat(trips() - before).isEqualTo(1);
		assertThat(page).get().satisfies((current) -> {
			assertThat(current.sessionId()).isEqualTo(sid);
			assertThat(current.live()).isTrue();
		});
		before = trips();
		assertThat(this.api.sessionId("ONE")).isEqualTo(sid);
		assertThat(trips() - before).as("GET /sessions/{code}").isEqualTo(1);
	}

	@Test
	void aSessionThisProcessHasNotSeenCostsOneMoreRoundTripOnce() {
		UUID sid = createForeign("FOREIGN");
		int before = trips();
		assertThat(this.pages.readCurrent("FOREIGN", "latest", 0, 10)).get()
			.extracting(LivePage::sessionId)
			.isEqualTo(sid);
		assertThat(trips() - before).isEqualTo(2);
		before = trips();
		assertThat(this.pages.readCurrent("FOREIGN", "after", 0, 10)).isPresent();
		assertThat(trips() - before).isEqualTo(1);
	}

	@Test
	void aReusedCodeIsReadAtItsNewInstance() {
		UUID first = UUID.randomUUID();
		this.live.create("REUSED", first, now(), TTL, null, null);
		this.live.end("REUSED", first, now());
		assertThat(this.pages.readCurrent("REUSED", "latest", 0, 10)).get().satisfies((page) -> {
			assertThat(page.sessionId()).isEqualTo(first);
			assertThat(page.live()).isFalse();
		});
		SessionScripts.purge(this.keys, new SessionRef("REUSED", first)).run(this.redis);
		UUID second = createForeign("REUSED");
		assertThat(this.pages.readCurrent("REUSED", "latest", 0, 10)).get()
			.extracting(LivePage::sessionId)
			.isEqualTo(second);
	}

	@Test
	void ofSeveralPendingInstancesTheLatestIsCurrent() {
		UUID older = createForeign("SEVERAL", now().minusSeconds(60));
		this.redis.delete(this.keys.live("SEVERAL"));
		UUID newer = createForeign("SEVERAL2", now());
		// A foreign writer's second pending instance of the same code, created later.
		this.redis.rename(this.keys.meta("SEVERAL2", newer), this.keys.meta("SEVERAL", newer));
		this.redis.opsForSet().add(this.keys.pending("SEVERAL"), newer.toString());
		assertThat(this.pages.readCurrent("SEVERAL", "latest", 0, 10)).get()
			.extracting(LivePage::sessionId)
			.isEqualTo(newer);
		assertThat(older).isNotEqualTo(newer);
	}

	@Test
	void aCodeWithoutInstancesInRedisIsEmpty() {
		UUID sid = UUID.randomUUID();
		this.live.create("GONE", sid, now(), TTL, null, null);
		this.live.end("GONE", sid, now());
		SessionScripts.purge(this.keys, new SessionRef("GONE", sid)).run(this.redis);
		assertThat(this.pages.readCurrent("GONE", "latest", 0, 10)).isEmpty();
		int before = trips();
		assertThat(this.pages.readCurrent("GONE", "latest", 0, 10)).isEmpty();
		assertThat(trips() - before).isEqualTo(1);
		assertThat(this.pages.readCurrent("NEVER", "latest", 0, 10)).isEmpty();
	}

	/**
	 * Round trips to Redis: the template's calls, the pipelined page reads and the reads by
	 * {@code read.lua} (each one round trip).
	 */
	private int trips() {
		return this.counting.trips() + (int) (this.registry.get("history.reads.pipelined").functionCounter().count()
				+ this.registry.get("history.reads.scripted").functionCounter().count());
	}

	private UUID createForeign(String code) {
		return createForeign(code, now());
	}

	/** Creates an instance as a foreign writer would, unseen by the API's beans. */
	private UUID createForeign(String code, Instant createdAt) {
		UUID sid = UUID.randomUUID();
		assertThat(SessionScripts
			.create(this.keys, code, sid, createdAt.toEpochMilli(), TTL.toMillis(), "", 3600, null)
			.run(this.redis)).isEqualTo(CreateReply.OK);
		return sid;
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Counting {

		@Bean
		CountingRedisTemplate countingRedisTemplate(RedisConnectionFactory connectionFactory) {
			return new CountingRedisTemplate(connectionFactory);
		}

	}

	/** Counts the callbacks run on a connection: one per round trip. */
	static class CountingRedisTemplate extends StringRedisTemplate {

		private final AtomicInteger trips = new AtomicInteger();

		CountingRedisTemplate(RedisConnectionFactory connectionFactory) {
			super(connectionFactory);
		}

		int trips() {
			return this.trips.get();
		}

		@Override
		public <T> T execute(RedisCallback<T> action, boolean exposeConnection, boolean pipeline) {
			this.trips.incrementAndGet();
			return super.execute(action, exposeConnection, pipeline);
		}

	}

}
