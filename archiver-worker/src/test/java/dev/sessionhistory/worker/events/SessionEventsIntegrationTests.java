package dev.sessionhistory.worker.events;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sessionhistory.worker.AbstractWorkerIntegrationTests;
import dev.sessionhistory.worker.SessionWriter;
import dev.sessionhistory.worker.SessionWriter.Session;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fast path: with the periodic sweep effectively off, expiries and explicit ends are
 * archived through their events alone.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "history.sweep.interval=1h", "history.sweep.reconcile-interval=1h" })
class SessionEventsIntegrationTests extends AbstractWorkerIntegrationTests {

	@Test
	void anExpiredSessionIsArchivedWithinASecondOfItsExpiry() {
		SessionWriter writer = writer();
		Session session = writer.create("EXP1", 1000).append(25);
		long expiresAt = System.currentTimeMillis() + 1000;
		await().atMost(Duration.ofSeconds(5)).until(() -> this.rows.isArchived(session));
		assertThat(System.currentTimeMillis() - expiresAt).isLessThan(1500);
		this.rows.assertArchivedExactly(session, "expired");
		await().atMost(Duration.ofSeconds(2)).until(() -> !session.inRedis());
		assertThat(this.meters.counter("history.archive.sessions", "trigger", "event").count()).isGreaterThan(0);
	}

	@Test
	void sessionsOfCodesOnEveryMasterAreArchivedByTheirExpiryEventsAlone() {
		SessionWriter writer = writer();
		List<Session> sessions = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			sessions.add(writer.create("SPREAD" + i, 1000).append(3));
		}
		// On a cluster of three masters the codes' slots are on each of them: every master's own
		// expiry events must reach the worker, the sweep being an hour away.
		assertThat(sessions.stream().map((session) -> SlotHash.getSlot(session.code()) * 3 / SlotHash.SLOT_COUNT)
			.distinct()).hasSize(3);
		await().atMost(Duration.ofSeconds(8)).until(() -> sessions.stream().allMatch(this.rows::isArchived));
		sessions.forEach((session) -> this.rows.assertArchivedExactly(session, "expired"));
	}

	@Test
	void anEndedSessionIsArchivedWithinSecondsWithoutWaitingForItsTtl() {
		SessionWriter writer = writer();
		Session session = writer.create("END1", 3_600_000).append(40);
		session.end();
		await().atMost(Duration.ofSeconds(3)).until(() -> this.rows.isArchived(session));
		this.rows.assertArchivedExactly(session, "ended");
		await().atMost(Duration.ofSeconds(2)).until(() -> !session.inRedis());
		assertThat(this.meters.counter("history.archive.sessions", "trigger", "end").count()).isGreaterThan(0);
	}

	@Test
	void otherKeysExpiringNeverArchiveNorDeleteALiveSession() {
		SessionWriter writer = writer();
		Session live = writer.create("LIVE1", 3_600_000).append(5);
		// Keys that are not this prefix's live keys: presence, config, another prefix's live key.
		for (String key : List.of("presence:LIVE1", this.keys.prefix() + ":{LIVE1}:presence",
				this.keys.prefix() + ":{LIVE1}:config", "other" + this.keys.prefix() + ":{LIVE1}:live",
				this.keys.prefix() + ":LIVE1:live", this.keys.prefix() + ":{LIVE1}:live:x")) {
			this.redis.opsForValue().set(key, live.sid().toString(), Duration.ofMillis(100));
		}
		Session ended = writer.create("END2", 3_600_000).append(3).end();
		await().atMost(Duration.ofSeconds(3)).until(() -> this.rows.isArchived(ended));
		// The expiries of those keys had time to reach the worker: none of them made it touch the live session.
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.rows.count(live.sid()) == 0);
		assertThat(this.redis.opsForValue().get(this.keys.live("LIVE1"))).isEqualTo(live.sid().toString());
		assertThat(this.redis.opsForList().range(this.keys.messages("LIVE1", live.sid()), 0, -1))
			.containsExactlyElementsOf(live.acknowledged());
		assertThat(this.redis.opsForSet().members(this.keys.pending("LIVE1"))).containsExactly(live.sid().toString());
	}

	@Test
	void theManagementPortShowsHealthWithTheEventSubscriptionAndMetrics(@LocalManagementPort int port) throws Exception {
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> {
				JsonNode health = JsonMapper.shared().readTree(get(port, "/actuator/health").body());
				for (String component : List.of("eventSubscription", "redis", "db")) {
					assertThat(health.at("/components/" + component + "/status").asString()).as(component)
						.isEqualTo("UP");
				}
				assertThat(health.at("/components/eventSubscription/details/keyspaceEvents").asString())
					.startsWith("enabled");
			});
		assertThat(get(port, "/actuator/prometheus").body()).contains("history_archive_sessions_total")
			.contains("history_archive_lag_seconds_bucket")
			.contains("history_archive_waiting")
			.contains("history_archive_failures_total")
			.contains("history_archive_erased_total");
		assertThat(get(port, "/actuator/metrics").statusCode()).isEqualTo(200);
	}

	@Test
	void thePublicPortAnswersHealthWithTheStatusAloneAndNothingElse(@LocalServerPort int port) throws Exception {
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			HttpResponse<String> health = get(port, "/actuator/health");
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
		});
		for (String path : List.of("/actuator", "/actuator/metrics", "/actuator/prometheus", "/actuator/info",
				"/actuator/health/redis", "/actuator/health/liveness")) {
			HttpResponse<String> response = get(port, path);
			assertThat(response.statusCode()).as(path).isEqualTo(404);
			assertThat(response.body()).as(path).doesNotContain("\"UP\"", "history_");
		}
	}

	private static HttpResponse<String> get(int port, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build();
		return HttpClient.newHttpClient().send(request, BodyHandlers.ofString());
	}

}
