package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;
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
		factory = new LettuceConnectionFactory(TestServers.get().redisConfiguration());
		factory.afterPropertiesSet();
		factory.start();
		redis = new StringRedisTemplate(factory);
	}

	@AfterAll
	static void cleanUp() {
		TestServers.get().deleteKeys(PREFIX);
		factory.destroy();
	}

	@Test
	void createRefusesACodeThatIsLiveOrWaitingForItsArchive() {
		UUID first = UUID.randomUUID();
		assertThat(create("C1", first, 60_000)).isEqualTo(CreateReply.OK);
		assertThat(create("C1", UUID.randomUUID(), 60_000)).isEqualTo(CreateReply.LIVE);
		assertThat(end("C1", first)).isEqualTo(EndReply.ENDED);
		assertThat(create("C1", UUID.randomUUID(), 60_000)).isEqualTo(CreateReply.PENDING);
		assertThat(purge("C1", first)).isEqualTo(PurgeReply.PURGED);
		assertThat(create("C1", UUID.randomUUID(), 60_000)).isEqualTo(CreateReply.OK);
	}

	@Test
	void appendAssignsGapFreeSeqAndKeepsTheBodyByteForByte() {
		UUID sid = UUID.randomUUID();
		create("C2", sid, 60_000);
		String body = MessageJson.unsequenced("m1", Instant.parse("2026-11-24T10:00:00Z"), "u1", "chat",
				"{\"text\":\"héllo\"}");
		AppendReply first = append("C2", sid, "m1", body, 10);
		assertThat(first.outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		assertThat(text(first)).isEqualTo("{\"seq\":1," + body.substring(1));
		assertThat(text(append("C2", sid, "m2", body.replace("m1", "m2"), 10))).startsWith("{\"seq\":2,\"id\":\"m2\"");
		assertThat(redis.opsForList().range(this.keys.messages("C2", sid), 0, -1)).hasSize(2)
			.allSatisfy((json) -> assertThat(StoredEntries.isStorableObject(json.getBytes(StandardCharsets.UTF_8))).isTrue());
	}

	@Test
	void aRepeatedIdReturnsTheOriginalAndStoresNothing() {
		UUID sid = UUID.randomUUID();
		create("C3", sid, 60_000);
		AppendReply first = append("C3", sid, "same", "{\"id\":\"same\",\"data\":1}", 10);
		AppendReply again = append("C3", sid, "same", "{\"id\":\"same\",\"data\":2}", 10);
		assertThat(again.outcome()).isEqualTo(AppendReply.Outcome.DUPLICATE);
		assertThat(again.message()).isEqualTo(first.message());
		assertThat(redis.opsForList().size(this.keys.messages("C3", sid))).isEqualTo(1);
	}

	@Test
	void appendIsRefusedWhenFullEndedOrUnknown() {
		UUID sid = UUID.randomUUID();
		create("C4", sid, 60_000);
		append("C4", sid, "a", "{\"id\":\"a\"}", 1);
		assertThat(append("C4", sid, "b", "{\"id\":\"b\"}", 1)).isEqualTo(new AppendReply(AppendReply.Outcome.FULL, null));
		end("C4", sid);
		assertThat(append("C4", sid, "c", "{\"id\":\"c\"}", 10).outcome()).isEqualTo(AppendReply.Outcome.ENDED);
		assertThat(append("C4", UUID.randomUUID(), "d", "{\"id\":\"d\"}", 10).outcome())
			.isEqualTo(AppendReply.Outcome.UNKNOWN);
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
		assertThat(end("C6", sid)).isEqualTo(EndReply.ENDED);
		assertThat(end("C6", sid)).isEqualTo(EndReply.ALREADY);
		assertThat(end("C6", UUID.randomUUID())).isEqualTo(EndReply.UNKNOWN);
		Map<Object, Object> meta = redis.opsForHash().entries(this.keys.meta("C6", sid));
		assertThat(meta).containsEntry("status", "ended").containsEntry("endReason", "ended").containsKey("endedAt");
	}

	@Test
	void claimRefusesLiveInstancesAndGrantsOneHolder() throws InterruptedException {
		UUID sid = UUID.randomUUID();
		create("C7", sid, 1000);
		append("C7", sid, "a", "{\"id\":\"a\"}", 10);
		ClaimReply live = claim("C7", sid, "w1");
		assertThat(live.outcome()).isEqualTo(ClaimReply.Outcome.LIVE);
		assertThat(live.remainingMillis()).isBetween(1L, 1000L);
		Thread.sleep(1100);
		ClaimReply claimed = claim("C7", sid, "w1");
		assertThat(claimed.outcome()).isEqualTo(ClaimReply.Outcome.CLAIMED);
		assertThat(claimed.messageCount()).isEqualTo(1);
		SessionMeta meta = SessionMeta.fromValues(claimed.meta());
		assertThat(meta.status()).isEqualTo("ended");
		assertThat(meta.endReason()).isEqualTo("expired");
		assertThat(meta.endedAt()).isEqualTo(meta.expiresAt());
		assertThat(claimed.meta()).hasSize(SessionMeta.FIELDS.size());
		assertThat(meta.layout()).isEqualTo(4);
		assertThat(meta.bytes()).isEqualTo("{\"seq\":1,\"id\":\"a\"}".length());
		assertThat(claim("C7", sid, "w2")).isEqualTo(new ClaimReply(ClaimReply.Outcome.BUSY, 0, "w1", 0, List.of()));
		assertThat(claim("C7", sid, "w1").outcome()).isEqualTo(ClaimReply.Outcome.CLAIMED);
	}

	@Test
	void purgeNeverTouchesALiveInstanceOrANewInstanceOfTheCode() {
		UUID old = UUID.randomUUID();
		create("C8", old, 60_000);
		assertThat(purge("C8", old)).isEqualTo(PurgeReply.LIVE);
		end("C8", old);
		redis.opsForSet().remove(this.keys.pending("C8"), old.toString()); // as if archived, to reuse the code
		UUID fresh = UUID.randomUUID();
		assertThat(create("C8", fresh, 60_000)).isEqualTo(CreateReply.OK);
		assertThat(purge("C8", old)).isEqualTo(PurgeReply.PURGED);
		assertThat(redis.hasKey(this.keys.meta("C8", old))).isFalse();
		assertThat(redis.opsForValue().get(this.keys.live("C8"))).isEqualTo(fresh.toString());
		assertThat(redis.hasKey(this.keys.meta("C8", fresh))).isTrue();
	}

	@Test
	void eraseDeletesALiveOrEndedInstanceAndNeverAnotherInstanceOfTheCode() {
		UUID live = UUID.randomUUID();
		create("CE", live, 60_000);
		append("CE", live, "m1", "{\"id\":\"m1\"}", 10);
		assertThat(erase("CE", live)).isEqualTo(EraseReply.LIVE);
		assertThat(redis.hasKey(this.keys.live("CE"))).isFalse();
		assertThat(redis.hasKey(this.keys.meta("CE", live))).isFalse();
		assertThat(redis.hasKey(this.keys.messages("CE", live))).isFalse();
		assertThat(redis.opsForSet().isMember(this.keys.pending("CE"), live.toString())).isFalse();
		assertThat(erase("CE", live)).isEqualTo(EraseReply.NONE);

		UUID ended = UUID.randomUUID();
		create("CE", ended, 60_000);
		end("CE", ended);
		UUID fresh = UUID.randomUUID();
		redis.opsForSet().remove(this.keys.pending("CE"), ended.toString()); // to reuse the code
		create("CE", fresh, 60_000);
		redis.opsForSet().add(this.keys.pending("CE"), ended.toString());
		assertThat(erase("CE", ended)).isEqualTo(EraseReply.ENDED);
		assertThat(redis.hasKey(this.keys.meta("CE", ended))).isFalse();
		assertThat(redis.opsForValue().get(this.keys.live("CE"))).isEqualTo(fresh.toString());
		assertThat(redis.hasKey(this.keys.meta("CE", fresh))).isTrue();
		assertThat(redis.opsForSet().members(this.keys.pending("CE"))).containsExactly(fresh.toString());
	}

	@Test
	void redactReplacesTheNamedSeqsByTombstonesAndTheUserLeavesTheParticipants() {
		UUID sid = UUID.randomUUID();
		create("CR", sid, 60_000);
		for (int i = 1; i <= 4; i++) {
			append("CR", sid, "m" + i, "{\"id\":\"m" + i + "\"}", 10);
		}
		redis.opsForHash().put(this.keys.participants("CR", sid), "alice", "read,append");
		redis.opsForHash().put(this.keys.participants("CR", sid), "bob", "read");
		assertThat(run(SessionScripts.redact(this.keys, new RedisKeys.SessionRef("CR", sid), "alice",
				List.of(2L, 4L, 9L)))).isEqualTo(2);
		assertThat(redis.opsForList().range(this.keys.messages("CR", sid), 0, -1)).containsExactly(
				"{\"seq\":1,\"id\":\"m1\"}", Tombstones.of(2), "{\"seq\":3,\"id\":\"m3\"}", Tombstones.of(4));
		assertThat(redis.opsForHash().keys(this.keys.participants("CR", sid))).containsExactly("bob");
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> run(SessionScripts.redact(this.keys,
				new RedisKeys.SessionRef("CR", sid), "alice", List.of(0L))));
	}

	@Test
	void readPagesBySeqInBothDirections() {
		UUID sid = UUID.randomUUID();
		create("C9", sid, 60_000);
		for (int i = 1; i <= 5; i++) {
			append("C9", sid, "m" + i, "{\"id\":\"m" + i + "\"}", 10);
		}
		assertThat(seqs(read("C9", sid, "latest", 0, 2))).containsExactly("4", "5");
		assertThat(head(read("C9", sid, "latest", 0, 2))).containsExactly(true, 5L, true, 4L);
		assertThat(seqs(read("C9", sid, "after", 0, 2))).containsExactly("1", "2");
		assertThat(head(read("C9", sid, "after", 4, 2))).containsExactly(true, 5L, false, 5L);
		assertThat(seqs(read("C9", sid, "before", 3, 5))).containsExactly("1", "2");
		assertThat(page(read("C9", sid, "before", 3, 5)).hasMore()).isFalse();
		assertThat(seqs(read("C9", sid, "before", 100, 2))).containsExactly("4", "5");
		assertThat(seqs(read("C9", sid, "after", 9, 2))).isEmpty();
		assertThat(page(read("C9", sid, "latest", 0, 2)).meta().sessionId()).isEqualTo(sid);
		assertThat(read("C9", UUID.randomUUID(), "latest", 0, 2)).isEqualTo(new ReadReply.None());
	}

	@Test
	void theCurrentInstanceIsServedWhenExpectedAndNamedOtherwise() {
		UUID sid = UUID.randomUUID();
		create("CU", sid, 60_000);
		append("CU", sid, "m1", "{\"id\":\"m1\"}", 10);
		assertThat(readCurrent("CU", null)).isEqualTo(new ReadReply.Current(sid));
		assertThat(readCurrent("CU", UUID.randomUUID())).isEqualTo(new ReadReply.Current(sid));
		ReadReply.Page page = page(readCurrent("CU", sid));
		assertThat(page.live()).isTrue();
		assertThat(page.meta().sessionId()).isEqualTo(sid);
		assertThat(seqs(page)).containsExactly("1");
		// Ended, waiting for its archive: still the current instance, no longer live.
		end("CU", sid);
		assertThat(readCurrent("CU", null)).isEqualTo(new ReadReply.Current(sid));
		assertThat(page(readCurrent("CU", sid)).live()).isFalse();
		purge("CU", sid);
		assertThat(readCurrent("CU", sid)).isEqualTo(new ReadReply.None());
		assertThat(readCurrent("CU", null)).isEqualTo(new ReadReply.None());
	}

	@Test
	void severalPendingInstancesAreListedAndJunkMembersIgnored() {
		UUID first = UUID.randomUUID();
		create("PE", first, 60_000);
		end("PE", first);
		// Junk a foreign writer put in the pending set is no instance.
		redis.opsForSet().add(this.keys.pending("PE"), "not-a-session-id", first.toString().toUpperCase(java.util.Locale.ROOT));
		assertThat(readCurrent("PE", null)).isEqualTo(new ReadReply.Current(first));
		UUID second = UUID.randomUUID();
		redis.opsForSet().add(this.keys.pending("PE"), second.toString());
		ReadReply reply = readCurrent("PE", first);
		assertThat(reply).isInstanceOf(ReadReply.Pending.class);
		assertThat(((ReadReply.Pending) reply).sessionIds()).containsExactlyInAnyOrder(first, second);
	}

	@Test
	void aLiveKeyThatHoldsNoSessionIdIsInvalidData() {
		redis.opsForValue().set(this.keys.live("JL"), "junk");
		assertThatExceptionOfType(InvalidSessionDataException.class).isThrownBy(() -> readCurrent("JL", null))
			.withMessageContaining("junk");
		assertThat(read("JL", UUID.randomUUID(), "latest", 0, 1)).isEqualTo(new ReadReply.None());
	}

	@Test
	void readRefusesThisWithoutASessionIdAndKeysThatDoNotFitIt() {
		UUID sid = UUID.randomUUID();
		SessionScripts.Call<ReadReply> call = SessionScripts.read(this.keys, "RK", sid, "latest", 0, 1, 1000);
		String[] args = call.args().toArray(new String[0]);
		args[1] = "";
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> runRaw(SessionScripts.READ, call.keys().subList(0, 2), args))
			.withStackTraceContaining("this needs a session id");
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> runRaw(SessionScripts.READ, call.keys(), args))
			.withStackTraceContaining("takes 2 keys");
		SessionScripts.Call<ReadReply> current = SessionScripts.readCurrent(this.keys, "RK", sid, "latest", 0, 1, 1000);
		List<String> otherInstance = List.of(current.keys().get(0), current.keys().get(1),
				this.keys.meta("RK", UUID.randomUUID()), current.keys().get(3));
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> runRaw(SessionScripts.READ, otherInstance, current.args().toArray(new String[0])))
			.withStackTraceContaining("KEYS[3]");
	}

	@Test
	void aCallerOfLayoutOneIsRefusedBeforeAnyWrite() {
		UUID sid = UUID.randomUUID();
		// Layout 1's create: session id first, six arguments.
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> runRaw(SessionScripts.CREATE,
					List.of(this.keys.live("V1"), this.keys.meta("V1", sid), this.keys.pending("V1")), sid.toString(),
					"V1", String.valueOf(System.currentTimeMillis()), "60000", "", "3600"))
			.withStackTraceContaining("speaks layout 4");
		assertThat(redis.hasKey(this.keys.live("V1"))).isFalse();
		assertThat(redis.hasKey(this.keys.meta("V1", sid))).isFalse();
	}

	@Test
	void createRefusesASessionIdThatIsNotLowerCaseAndWritesNothing() {
		String upper = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> runRaw(SessionScripts.CREATE,
					List.of(this.keys.live("UP"), this.keys.prefix() + ":{UP}:" + upper + ":meta", this.keys.pending("UP")),
					"4", upper, "UP", String.valueOf(System.currentTimeMillis()), "60000", "", "3600", ""))
			.withStackTraceContaining("lower-case UUID");
		assertThat(redis.hasKey(this.keys.live("UP"))).isFalse();
		assertThat(redis.hasKey(this.keys.pending("UP"))).isFalse();
	}

	@Test
	void createWithABadNumberOrKeyWritesNothing() {
		UUID sid = UUID.randomUUID();
		List<String> keys = List.of(this.keys.live("BN"), this.keys.meta("BN", sid), this.keys.pending("BN"));
		for (String now : new String[] { "soon", "-1", "1e3", "12", "" }) {
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> runRaw(SessionScripts.CREATE, keys, "4", sid.toString(), "BN", now, "60000", "", "3600", ""))
				.withStackTraceContaining("now");
		}
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> runRaw(SessionScripts.CREATE,
					List.of(this.keys.live("BN"), this.keys.meta("OTHER", sid), this.keys.pending("BN")), "4",
					sid.toString(), "BN", String.valueOf(System.currentTimeMillis()), "60000", "", "3600", ""))
			// a cluster refuses keys of two slots before the script runs
			.withStackTraceContaining(TestServers.get().redisCluster() ? "CROSSSLOT" : "KEYS[2]");
		assertThat(redis.hasKey(this.keys.live("BN"))).isFalse();
		assertThat(redis.hasKey(this.keys.meta("BN", sid))).isFalse();
		assertThat(create("BN", sid, 60_000)).isEqualTo(CreateReply.OK);
	}

	@Test
	void appendWithABadNumberWritesNothingAndARetryStillStores() {
		UUID sid = UUID.randomUUID();
		create("BA", sid, 60_000);
		SessionScripts.Call<AppendReply> call = SessionScripts.append(this.keys, "BA", sid, "m1", "{\"id\":\"m1\"}",
				System.currentTimeMillis(), 10, SAFETY, 1 << 20, null, 1000);
		String[] args = call.args().toArray(new String[0]);
		args[4] = "not-a-number";
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> runRaw(SessionScripts.APPEND, call.keys(), args))
			.withStackTraceContaining("now");
		assertThat(redis.hasKey(this.keys.messages("BA", sid))).isFalse();
		assertThat(redis.hasKey(this.keys.messageIds("BA", sid))).isFalse();
		assertThat(append("BA", sid, "m1", "{\"id\":\"m1\"}", 10).outcome()).isEqualTo(AppendReply.Outcome.CREATED);
	}

	@Test
	void anIdEntryPointingPastTheListIsAnErrorNotAnEmptyOriginal() {
		UUID sid = UUID.randomUUID();
		create("IP", sid, 60_000);
		append("IP", sid, "m1", "{\"id\":\"m1\"}", 10);
		redis.opsForHash().put(this.keys.messageIds("IP", sid), "m9", "9");
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> append("IP", sid, "m9", "{\"id\":\"m9\"}", 10))
			.withStackTraceContaining("no message of the list");
		assertThat(redis.opsForList().size(this.keys.messages("IP", sid))).isEqualTo(1);
	}

	@Test
	void appendCountsStoredBytesAndRefusesPastTheByteLimit() {
		UUID sid = UUID.randomUUID();
		create("BY", sid, 60_000);
		String body = "{\"id\":\"a\",\"data\":\"" + "x".repeat(100) + "\"}";
		int stored = append("BY", sid, "a", body, 10, 250).message().length;
		assertThat(append("BY", sid, "b", body.replace("\"a\"", "\"b\""), 10, 250).outcome())
			.isEqualTo(AppendReply.Outcome.TOO_LARGE);
		assertThat(redis.opsForHash().get(this.keys.meta("BY", sid), "bytes")).isEqualTo(String.valueOf(stored));
		assertThat(redis.opsForList().size(this.keys.messages("BY", sid))).isEqualTo(1);
	}

	@Test
	void readStopsAtTheByteLimitKeepingTheMessagesNearestTheCursor() {
		UUID sid = UUID.randomUUID();
		create("RB", sid, 60_000);
		for (int i = 1; i <= 100; i++) {
			append("RB", sid, "m" + i, "{\"id\":\"m" + i + "\",\"data\":\"" + "x".repeat(80) + "\"}", 1000);
		}
		long size = redis.opsForList().index(this.keys.messages("RB", sid), 49).length();
		// Room for three messages and a half: three come, and hasMore says there is more.
		ReadReply after = read("RB", sid, "after", 10, 50, size * 3 + size / 2);
		assertThat(seqs(after)).containsExactly("11", "12", "13");
		assertThat(head(after)).containsExactly(true, 100L, true, 11L);
		ReadReply latest = read("RB", sid, "latest", 0, 50, size * 3 + size / 2);
		assertThat(seqs(latest)).containsExactly("98", "99", "100");
		assertThat(page(latest).hasMore()).isTrue();
		assertThat(seqs(read("RB", sid, "before", 50, 1000, size * 2))).containsExactly("48", "49");
		// A limit below one message still gives one.
		assertThat(seqs(read("RB", sid, "after", 0, 10, 1))).containsExactly("1");
		assertThat(seqs(read("RB", sid, "before", 3, 10, 1))).containsExactly("2");
	}

	@Test
	void sliceReadsBoundedWindowsOnlyForTheClaimHolder() {
		UUID sid = UUID.randomUUID();
		create("SL", sid, 60_000);
		for (int i = 1; i <= 70; i++) {
			append("SL", sid, "m" + i, "{\"id\":\"m" + i + "\"}", 1000);
		}
		end("SL", sid);
		ClaimReply claimed = claim("SL", sid, "w1");
		assertThat(claimed.outcome()).isEqualTo(ClaimReply.Outcome.CLAIMED);
		assertThat(claimed.messageCount()).isEqualTo(70);
		SliceReply window = slice("SL", sid, "w1", 1, 40, 1 << 20);
		assertThat(window.outcome()).isEqualTo(SliceReply.Outcome.SLICE);
		assertThat(window.entries()).hasSize(40);
		String last = new String(window.entries().get(39), StandardCharsets.UTF_8);
		assertThat(last).startsWith("{\"seq\":40,");
		long one = last.length(); // seqs 41 to 46 are as long as seq 40
		assertThat(slice("SL", sid, "w1", 41, 1000, one * 5).entries()).hasSize(5);
		assertThat(slice("SL", sid, "w1", 69, 10, 1 << 20).entries()).hasSize(2);
		SliceReply past = slice("SL", sid, "w1", 71, 10, 1 << 20);
		assertThat(past.outcome()).isEqualTo(SliceReply.Outcome.SLICE);
		assertThat(past.entries()).isEmpty();
		assertThat(slice("SL", sid, "w2", 1, 10, 1 << 20)).isEqualTo(new SliceReply(SliceReply.Outcome.LOST, List.of(), "w1"));
	}

	@Test
	void theLayoutHashIsRecordedOnceAndAnotherVersionIsRefused() {
		LayoutVersion.ensure(redis, this.keys);
		assertThat(redis.opsForHash().entries(this.keys.layout())).containsEntry("version", "4")
			.containsEntry("dueBuckets", "16");
		LayoutVersion.ensure(redis, this.keys);
		RedisKeys other = RedisKeys.withPrefix(PREFIX + "-next");
		try {
			redis.opsForHash().put(other.layout(), "version", "5");
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> LayoutVersion.ensure(redis, other))
				.withMessageContaining("layout 5");
			// the same layout with another bucket count: services that disagree would lose track
			redis.opsForHash().put(other.layout(), "version", "4");
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> LayoutVersion.ensure(redis, RedisKeys.withPrefix(PREFIX + "-next", 8)))
				.withMessageContaining("with 16 due buckets")
				.withMessageContaining("history.due-buckets");
		}
		finally {
			redis.delete(other.layout());
		}
	}

	private static ReadReply.Page page(ReadReply reply) {
		assertThat(reply).isInstanceOf(ReadReply.Page.class);
		return (ReadReply.Page) reply;
	}

	/** live, total, hasMore and the first seq of a page. */
	private static List<Object> head(ReadReply reply) {
		ReadReply.Page page = page(reply);
		return List.of(page.live(), page.total(), page.hasMore(), page.firstSeq());
	}

	private static List<String> seqs(ReadReply reply) {
		return page(reply).messages()
			.stream()
			.map((bytes) -> new String(bytes, StandardCharsets.UTF_8))
			.map((json) -> json.substring("{\"seq\":".length(), json.indexOf(',')))
			.toList();
	}

	private static String text(AppendReply reply) {
		return new String(reply.message(), StandardCharsets.UTF_8);
	}

	private CreateReply create(String code, UUID sid, long ttlMillis) {
		return run(SessionScripts.create(this.keys, code, sid, System.currentTimeMillis(), ttlMillis, "", SAFETY, null));
	}

	private AppendReply append(String code, UUID sid, String id, String body, int max) {
		return append(code, sid, id, body, max, 1L << 40);
	}

	private AppendReply append(String code, UUID sid, String id, String body, int max, long maxBytes) {
		return run(SessionScripts.append(this.keys, code, sid, id, body, System.currentTimeMillis(), max, SAFETY,
				maxBytes, null, 1000));
	}

	private EndReply end(String code, UUID sid) {
		return run(SessionScripts.end(this.keys, code, sid, System.currentTimeMillis()));
	}

	private ClaimReply claim(String code, UUID sid, String worker) {
		return run(SessionScripts.claim(this.keys, new RedisKeys.SessionRef(code, sid), worker, 30_000));
	}

	private SliceReply slice(String code, UUID sid, String worker, long first, int count, long bytes) {
		return run(SessionScripts.slice(this.keys, new RedisKeys.SessionRef(code, sid), worker, 30_000, first, count,
				bytes));
	}

	private EraseReply erase(String code, UUID sid) {
		return run(SessionScripts.erase(this.keys, new RedisKeys.SessionRef(code, sid)));
	}

	private PurgeReply purge(String code, UUID sid) {
		return run(SessionScripts.purge(this.keys, new RedisKeys.SessionRef(code, sid)));
	}

	private ReadReply read(String code, UUID sid, String mode, long cursor, int limit) {
		return read(code, sid, mode, cursor, limit, 100_000_000);
	}

	private ReadReply read(String code, UUID sid, String mode, long cursor, int limit, long maxBytes) {
		return run(SessionScripts.read(this.keys, code, sid, mode, cursor, limit, maxBytes));
	}

	private ReadReply readCurrent(String code, UUID expected) {
		return run(SessionScripts.readCurrent(this.keys, code, expected, "latest", 0, 10, 100_000_000));
	}

	/** Runs a script with raw arguments, as a foreign writer might. */
	private static Object runRaw(org.springframework.data.redis.core.script.RedisScript<?> script, List<String> keys,
			String... args) {
		return redis.execute(script, keys, (Object[]) args);
	}

	private static <R> R run(SessionScripts.Call<R> call) {
		return call.run(redis);
	}

}
