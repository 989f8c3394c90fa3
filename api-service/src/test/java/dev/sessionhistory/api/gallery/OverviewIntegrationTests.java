package dev.sessionhistory.api.gallery;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The Session Gallery's overview against real Redis and PostgreSQL (a database and key
 * prefix of this class's own): the days counted from archives written on several days,
 * the sessions in Redis counted as what they are also where the due index misfiles them,
 * the lag, and who may ask.
 */
@RealServers
class OverviewIntegrationTests extends AbstractApiIntegrationTests {

	private static final String OVERVIEW = "/admin/api/gallery/overview";

	/** Archives by the UTC day they were written: {sessions, messages}. */
	private final Map<LocalDate, long[]> archived = new LinkedHashMap<>();

	@Autowired
	private Isolation isolation;

	@Test
	void theOverviewCountsTheArchivesOfEachDayAndTheSessionsInRedisAsWhatTheyAre() {
		// from nothing, whatever the class's other tests left
		this.isolation.servers().deleteKeys(this.isolation.keyPrefix());
		this.jdbc.sql("TRUNCATE session_history CASCADE").update();
		Instant now = Instant.now();
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		archive(midday(today.minusDays(3)), Duration.ofSeconds(5), 5);
		archive(midday(today.minusDays(3)), Duration.ofSeconds(5), 7);
		archive(midday(today.minusDays(10)), Duration.ofSeconds(5), 0);
		// the first day of the 30 from its first microsecond, and the day before not at all
		archive(today.minusDays(29).atStartOfDay(ZoneOffset.UTC).toInstant(), Duration.ofSeconds(5), 4);
		archive(today.minusDays(29).atStartOfDay(ZoneOffset.UTC).toInstant().minus(1, ChronoUnit.MICROS),
				Duration.ofSeconds(5), 9);
		// the last hour's lags: 2 s, 4 s, 30 s, and one by the archiver stand-in of a few milliseconds;
		// the archive of two hours ago is outside the window
		archive(now.minus(Duration.ofMinutes(1)), Duration.ofSeconds(2), 1);
		archive(now.minus(Duration.ofMinutes(2)), Duration.ofSeconds(4), 2);
		archive(now.minus(Duration.ofMinutes(3)), Duration.ofSeconds(30), 3);
		archive(now.minus(Duration.ofHours(2)), Duration.ofSeconds(1000), 6);
		archivedByTheStandIn("OVARCH", 3);

		// waiting, the longest: ended first, then scored ahead as the worker does after a failed attempt
		SessionRef postponed = ended(created("{\"code\":\"OVPOSTPONED\"}"));
		score(postponed, Instant.now().plusSeconds(30));
		SessionRef ended = ended(created("{\"code\":\"OVENDED\"}"));
		SessionRef expired = created("{\"code\":\"OVEXPIRED\",\"ttlSeconds\":1}");
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.redis.hasKey(this.keys.live(expired.code())));
		// live: two as created, and one whose score passed while it lives (as when appends move its expiry)
		SessionRef appended = created("{\"code\":\"OVLIVE1\"}");
		assertThat(this.api.append(appended.code(), "{\"id\":\"m\",\"data\":1}").status()).isEqualTo(201);
		created("{\"code\":\"OVLIVE2\"}");
		score(created("{\"code\":\"OVLIVE3\"}"), Instant.now().minusSeconds(60));
		// members whose instance is gone, or that name none, on both sides
		this.redis.opsForZSet().add(this.keys.due("OVGONE"), "OVGONE " + UUID.randomUUID(), now.minusSeconds(5).toEpochMilli());
		this.redis.opsForZSet().add(this.keys.dueBucket(0), "not-an-instance", now.minusSeconds(5).toEpochMilli());
		this.redis.opsForZSet().add(this.keys.due("OVGONE"), "OVGONE " + UUID.randomUUID(), now.plusSeconds(60).toEpochMilli());

		Response response = this.api.get(OVERVIEW);
		assertThat(response.status()).as(response.text()).isEqualTo(200);
		JsonNode overview = response.json();
		Instant generatedAt = Instant.parse(overview.get("generatedAt").asString());
		assertThat(generatedAt).isBetween(now, Instant.now());

		LocalDate generatedOn = LocalDate.ofInstant(generatedAt, ZoneOffset.UTC);
		List<String> expected = new ArrayList<>();
		for (LocalDate day = generatedOn.minusDays(29); !day.isAfter(generatedOn); day = day.plusDays(1)) {
			long[] counts = this.archived.getOrDefault(day, new long[2]);
			expected.add(day + " " + counts[0] + " " + counts[1]);
		}
		assertThat(overview.get("days").values().stream()
			.map((day) -> day.get("day").asString() + " " + day.get("sessions").asLong() + " "
					+ day.get("messages").asLong())
			.toList()).containsExactlyElementsOf(expected);
		long counted = overview.get("days").values().stream().mapToLong((day) -> day.get("sessions").asLong()).sum();
		assertThat(counted).isEqualTo(this.jdbc.sql("SELECT count(*) FROM session_history WHERE archived_at >= ?")
			.param(generatedOn.minusDays(29).atStartOfDay(ZoneOffset.UTC).toOffsetDateTime())
			.query(Long.class)
			.single());

		assertThat(overview.get("live").asLong()).isEqualTo(3);
		assertThat(overview.get("waiting").asLong()).isEqualTo(3);
		Instant oldest = endedAt(postponed);
		assertThat(oldest).isBefore(endedAt(ended)).isBefore(endedAt(expired));
		assertThat(Instant.parse(overview.get("oldestWaitingSince").asString())).isEqualTo(oldest);
		assertThat(overview.get("archiveLagSeconds").asDouble())
			.isEqualTo(Duration.between(oldest, generatedAt).toMillis() / 1000.0);
		assertThat(overview.get("recentLagSeconds").asDouble()).isCloseTo(3.0, within(0.001));
	}

	@Test
	void onlyAdminsSeeTheOverviewAndEveryOtherCallerGetsThePathsUsualAnswers() {
		assertAdminsOnly(OVERVIEW);
	}

	/** An archive written at {@code archivedAt}, {@code lag} after its end. */
	private void archive(Instant archivedAt, Duration lag, int messages) {
		Instant endedAt = archivedAt.minus(lag);
		this.jdbc.sql("""
				INSERT INTO session_history (session_id, session_code, message_count, created_at, ended_at,
				    archived_at, end_reason)
				VALUES (?, ?, ?, ?, ?, ?, 'ended')
				""")
			.params(UUID.randomUUID(), "OVDAY", messages, endedAt.minusSeconds(60).atOffset(ZoneOffset.UTC),
					endedAt.atOffset(ZoneOffset.UTC), archivedAt.atOffset(ZoneOffset.UTC))
			.update();
		count(archivedAt, messages);
	}

	/** A session of {@code messages} messages, ended and archived as the worker does, at the database's now. */
	private void archivedByTheStandIn(String code, int messages) {
		SessionRef session = created("{\"code\":\"" + code + "\"}");
		for (int i = 0; i < messages; i++) {
			assertThat(this.api.append(code, "{\"id\":\"m" + i + "\",\"data\":" + i + "}").status()).isEqualTo(201);
		}
		this.archiver.archive(code, ended(session).sessionId());
		count(this.jdbc.sql("SELECT archived_at FROM session_history WHERE session_id = ?")
			.param(session.sessionId())
			.query(OffsetDateTime.class)
			.single()
			.toInstant(), messages);
	}

	private void count(Instant archivedAt, int messages) {
		long[] counts = this.archived.computeIfAbsent(LocalDate.ofInstant(archivedAt, ZoneOffset.UTC),
				(day) -> new long[2]);
		counts[0]++;
		counts[1] += messages;
	}

	private SessionRef created(String json) {
		Response response = this.api.postJson("/sessions", json);
		assertThat(response.status()).as(response.text()).isEqualTo(201);
		return new SessionRef(response.json().get("code").asString(),
				UUID.fromString(response.json().get("sessionId").asString()));
	}

	private SessionRef ended(SessionRef session) {
		assertThat(this.api.post("/sessions/" + session.code() + "/end").status()).isEqualTo(202);
		return session;
	}

	private void score(SessionRef session, Instant due) {
		this.redis.opsForZSet().add(this.keys.due(session.code()), session.member(), due.toEpochMilli());
	}

	/** When an instance in Redis ended, as its meta says, else its expiry. */
	private Instant endedAt(SessionRef session) {
		Map<Object, Object> meta = this.redis.opsForHash().entries(this.keys.meta(session.code(), session.sessionId()));
		Object endedAt = meta.getOrDefault(SessionMeta.ENDED_AT, meta.get(SessionMeta.EXPIRES_AT));
		return Instant.ofEpochMilli(Long.parseLong((String) endedAt));
	}

	private static Instant midday(LocalDate day) {
		return day.atTime(12, 0).toInstant(ZoneOffset.UTC);
	}

}
