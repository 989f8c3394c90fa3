package dev.sessionhistory.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The scripts of the layout against a real Redis: the contract foreign writers rely on.
 */
class SessionScriptsIntegrationTests {

	private static final String PREFIX = "tscripts" + UUID.randomUUID().toString().substring(0, 8);

	private static final long SAFETY = 3600;

	private static LettuceConnectionFactory factory;

	private static StringRedisTemplate redis;

	private final RedisKeys keys = RedisKeys.withPrefix(PREFIX);

	@BeforeAll
	static void connect() {
		factory = new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(redisUri()));
		factory.afterPropertiesSet();
		factory.start();
		redis = new StringRedisTemplate(factory);
	}

	@AfterAll
	static void cleanUp() {
		Isolation.deleteKeys(TestServers.get().redisUrl(), PREFIX);
		factory.destroy();
	}

	@Test
	void createRefusesACodeThatIsLiveOrWaitingForItsArchive() {
		UUID first = UUID.randomUUID();
		assertThat(create("C1", first, 60_000)).isEqualTo("OK");
		assertThat(create("C1", UUID.randomUUID(), 60_000)).isEqualTo("LIVE");
		assertThat(end("C1", first)).isEqualTo("ENDED");
		assertThat(create("C1", UUID.randomUUID(), 60_000)).isEqualTo("PENDING");
		assertThat(purge("C1", first)).isEqualTo(1L);
		assertThat(create("C1", UUID.randomUUID(), 60_000)).isEqualTo("OK");
	}

	@Test
	void appendAssignsGapFreeSeqAndKeepsTheBodyByteForByte() {
		UUID sid = UUID.randomUUID();
		create("C2", sid, 60_000);
		String body = MessageJson.unsequenced("m1", Instant.parse("2026-11-24T10:00:00Z"), "u1", "chat",
				"{\"text\":\"héllo\"}");
		assertThat(append("C2", sid, "m1", body, 10)).containsExactly("CREATED", "{\"seq\":1," + body.substring(1));
		assertThat(append("C2", sid, "m2", body.replace("m1", "m2"), 10).get(1)).startsWith("{\"seq\":2,\"id\":\"m2\"");
		assertThat(redis.opsForList().range(this.keys.messages("C2", sid), 0, -1)).hasSize(2)
			.allSatisfy((json) -> assertThat(MessageJson.isObject(json)).isTrue());
	}

	@Test
	void aRepeatedIdReturnsTheOriginalAndStoresNothing() {
		UUID sid = UUID.randomUUID();
		create("C3", sid, 60_000);
		List<String> first = append("C3", sid, "same", "{\"id\":\"same\",\"data\":1}", 10);
		List<String> again = append("C3", sid, "same", "{\"id\":\"same\",\"data\":2}", 10);
		assertThat(again).containsExactly("DUPLICATE", first.get(1));
		assertThat(redis.opsForList().size(this.keys.messages("C3", sid))).isEqualTo(1);
	}

	@Test
	void appendIsRefusedWhenFullEndedOrUnknown() {
		UUID sid = UUID.randomUUID();
		create("C4", sid, 60_000);
		append("C4", sid, "a", "{\"id\":\"a\"}", 1);
		assertThat(append("C4", sid, "b", "{\"id\":\"b\"}", 1)).containsExactly("FULL");
		end("C4", sid);
		assertThat(append("C4", sid, "c", "{\"id\":\"c\"}", 10)).containsExactly("ENDED");
		assertThat(append("C4", UUID.randomUUID(), "d", "{\"id\":\"d\"}", 10)).containsExactly("UNKNOWN");
	}

	@Test
	void appendRestartsTheIdleTtl() throws InterruptedException {
		UUID sid = UUID.randomUUID();
		create("C5", sid, 1500);
		Thread.sleep(1000);
		append("C5", sid, "a", "{\"id\":\"a\"}", 10);
		Thread.sleep(1000);
		assertThat(redis.opsForValue().get(this.keys.live("C5"))).isEqualTo(sid.toString());
		assertThat(redis.getExpire(this.keys.meta("C5", sid))).isGreaterThan(SAFETY - 5);
	}

	@Test
	void appendKeepsThePendingSetAliveAsLongAsTheInstance() {
		UUID sid = UUID.randomUUID();
		create("C10", sid, 60_000);
		redis.expire(this.keys.pending("C10"), java.time.Duration.ofSeconds(5));
		append("C10", sid, "a", "{\"id\":\"a\"}", 10);
		assertThat(redis.getExpire(this.keys.pending("C10"))).isGreaterThan(SAFETY + 50);
	}

	@Test
	void appendWritesNothingWhenTheMetaHasNoTtl() {
		UUID sid = UUID.randomUUID();
		create("C11", sid, 60_000);
		redis.opsForHash().delete(this.keys.meta("C11", sid), "ttlMillis");
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> append("C11", sid, "a", "{\"id\":\"a\"}", 10))
			.withStackTraceContaining("ttlMillis");
		assertThat(redis.hasKey(this.keys.messages("C11", sid))).isFalse();
		assertThat(redis.hasKey(this.keys.messageIds("C11", sid))).isFalse();
	}

	@Test
	void endPublishesAndIsIdempotent() {
		UUID sid = UUID.randomUUID();
		create("C6", sid, 60_000);
		assertThat(end("C6", sid)).isEqualTo("ENDED");
		assertThat(end("C6", sid)).isEqualTo("ALREADY");
		assertThat(end("C6", UUID.randomUUID())).isEqualTo("UNKNOWN");
		Map<Object, Object> meta = redis.opsForHash().entries(this.keys.meta("C6", sid));
		assertThat(meta).containsEntry("status", "ended").containsEntry("endReason", "ended").containsKey("endedAt");
	}

	@Test
	void claimRefusesLiveInstancesAndGrantsOneHolder() throws InterruptedException {
		UUID sid = UUID.randomUUID();
		create("C7", sid, 1000);
		append("C7", sid, "a", "{\"id\":\"a\"}", 10);
		assertThat(claim("C7", sid, "w1").get(0)).isEqualTo("LIVE");
		Thread.sleep(1100);
		List<String> claimed = claim("C7", sid, "w1");
		assertThat(claimed.get(0)).isEqualTo("CLAIMED");
		SessionMeta meta = SessionMeta.fromValues(claimed.subList(1, 1 + SessionMeta.FIELDS.size()));
		assertThat(meta.status()).isEqualTo("ended");
		assertThat(meta.endReason()).isEqualTo("expired");
		assertThat(meta.endedAt()).isEqualTo(meta.expiresAt());
		assertThat(claimed.subList(1 + SessionMeta.FIELDS.size(), claimed.size())).hasSize(1);
		assertThat(claim("C7", sid, "w2")).containsExactly("BUSY", "w1");
		assertThat(claim("C7", sid, "w1").get(0)).isEqualTo("CLAIMED");
	}

	@Test
	void purgeNeverTouchesALiveInstanceOrANewInstanceOfTheCode() {
		UUID old = UUID.randomUUID();
		create("C8", old, 60_000);
		assertThat(purge("C8", old)).isZero();
		end("C8", old);
		redis.opsForSet().remove(this.keys.pending("C8"), old.toString()); // as if archived, to reuse the code
		UUID fresh = UUID.randomUUID();
		assertThat(create("C8", fresh, 60_000)).isEqualTo("OK");
		assertThat(purge("C8", old)).isEqualTo(1L);
		assertThat(redis.hasKey(this.keys.meta("C8", old))).isFalse();
		assertThat(redis.opsForValue().get(this.keys.live("C8"))).isEqualTo(fresh.toString());
		assertThat(redis.hasKey(this.keys.meta("C8", fresh))).isTrue();
	}

	@Test
	void readPagesBySeqInBothDirections() {
		UUID sid = UUID.randomUUID();
		create("C9", sid, 60_000);
		for (int i = 1; i <= 5; i++) {
			append("C9", sid, "m" + i, "{\"id\":\"m" + i + "\"}", 10);
		}
		assertThat(page(read("C9", sid, "latest", 0, 2))).containsExactly("4", "5");
		assertThat(read("C9", sid, "latest", 0, 2).subList(0, 4)).containsExactly("1", "5", "1", "4");
		assertThat(page(read("C9", sid, "after", 0, 2))).containsExactly("1", "2");
		assertThat(read("C9", sid, "after", 4, 2).subList(0, 4)).containsExactly("1", "5", "0", "5");
		assertThat(page(read("C9", sid, "before", 3, 5))).containsExactly("1", "2");
		assertThat(read("C9", sid, "before", 3, 5).get(2)).isEqualTo("0");
		assertThat(page(read("C9", sid, "before", 100, 2))).containsExactly("4", "5");
		assertThat(page(read("C9", sid, "after", 9, 2))).isEmpty();
		assertThat(read("C9", UUID.randomUUID(), "latest", 0, 2)).isEmpty();
	}

	private static String redisUri() {
		return TestServers.get().redisUrl();
	}

	private List<String> page(List<String> reply) {
		return reply.subList(4 + SessionMeta.FIELDS.size(), reply.size())
			.stream()
			.map((json) -> json.substring("{\"seq\":".length(), json.indexOf(',')))
			.toList();
	}

	private String create(String code, UUID sid, long ttlMillis) {
		return redis.execute(SessionScripts.CREATE,
				List.of(this.keys.live(code), this.keys.meta(code, sid), this.keys.pending(code)), sid.toString(), code,
				String.valueOf(System.currentTimeMillis()), String.valueOf(ttlMillis), "", String.valueOf(SAFETY));
	}

	@SuppressWarnings("unchecked")
	private List<String> append(String code, UUID sid, String id, String body, int max) {
		return redis.execute(SessionScripts.APPEND,
				List.of(this.keys.live(code), this.keys.meta(code, sid), this.keys.messages(code, sid),
						this.keys.messageIds(code, sid), this.keys.pending(code)),
				sid.toString(), id, body, String.valueOf(System.currentTimeMillis()), String.valueOf(max),
				String.valueOf(SAFETY));
	}

	private String end(String code, UUID sid) {
		return redis.execute(SessionScripts.END, List.of(this.keys.live(code), this.keys.meta(code, sid)),
				sid.toString(), String.valueOf(System.currentTimeMillis()), this.keys.events(), code);
	}

	@SuppressWarnings("unchecked")
	private List<String> claim(String code, UUID sid, String worker) {
		return redis.execute(SessionScripts.CLAIM,
				List.of(this.keys.live(code), this.keys.meta(code, sid), this.keys.messages(code, sid),
						this.keys.claim(code, sid)),
				sid.toString(), worker, "30000");
	}

	private Long purge(String code, UUID sid) {
		return redis.execute(SessionScripts.PURGE,
				List.of(this.keys.live(code), this.keys.meta(code, sid), this.keys.messages(code, sid),
						this.keys.messageIds(code, sid), this.keys.claim(code, sid), this.keys.pending(code)),
				sid.toString());
	}

	@SuppressWarnings("unchecked")
	private List<String> read(String code, UUID sid, String mode, long cursor, int limit) {
		List<Object> reply = redis.execute(SessionScripts.READ,
				List.of(this.keys.live(code), this.keys.meta(code, sid), this.keys.messages(code, sid)),
				sid.toString(), mode, String.valueOf(cursor), String.valueOf(limit));
		return reply.stream().map((value) -> (value != null) ? value.toString() : null).toList();
	}

}
