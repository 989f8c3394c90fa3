package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.RedisTemplates;
import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Owners, participants and the token epoch of layout 3 against a real Redis, and instances
 * written under layout 2 read, claimed, sliced and purged by the layout-3 scripts.
 */
class ParticipantScriptsIntegrationTests {

	private static final String PREFIX = "tusers" + UUID.randomUUID().toString().substring(0, 8);

	private static final long SAFETY = 3600;

	private static final int LIMIT = 1000;

	private static RedisTemplates connection;

	private static StringRedisTemplate redis;

	private final RedisKeys keys = RedisKeys.withPrefix(PREFIX);

	@BeforeAll
	static void connect() {
		connection = RedisTemplates.connect();
		redis = connection.template();
	}

	@AfterAll
	static void cleanUp() {
		TestServers.get().deleteKeys(PREFIX);
		connection.close();
	}

	@Test
	void createStoresTheOwnerAndAnInstanceWithoutOneHasNone() {
		UUID owned = UUID.randomUUID();
		String owner = "auth0|abc/" + "é".repeat(123); // 256 bytes
		assertThat(create("OW", owned, owner)).isEqualTo(CreateReply.OK);
		assertThat(redis.opsForHash().get(this.keys.meta("OW", owned), SessionMeta.OWNER)).isEqualTo(owner);
		SessionMeta meta = page(read("OW", owned)).meta();
		assertThat(meta.owner()).contains(owner);
		assertThat(meta.tokenEpoch()).isZero();
		UUID none = UUID.randomUUID();
		assertThat(create("OX", none, null)).isEqualTo(CreateReply.OK);
		assertThat(redis.opsForHash().hasKey(this.keys.meta("OX", none), SessionMeta.OWNER)).isFalse();
		assertThat(page(read("OX", none)).meta().owner()).isEmpty();
	}

	@Test
	void createRefusesABadOwnerAndWritesNothing() {
		UUID sid = UUID.randomUUID();
		for (String owner : new String[] { "x".repeat(257), "é".repeat(129), "a\u0001b", "tab\tbed", "del\u007F",
				"line\n" }) {
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> create("BO", sid, owner))
				.withStackTraceContaining("owner must be 1 to 256 bytes");
		}
		byte[] invalidUtf8 = { 'a', (byte) 0xC3, 'b' };
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> evalBytes(SessionScripts.create(this.keys, "BO", sid, System.currentTimeMillis(), 60_000,
					"", SAFETY, "placeholder"), 7, invalidUtf8))
			.withStackTraceContaining("owner must be");
		assertThat(redis.hasKey(this.keys.live("BO"))).isFalse();
		assertThat(redis.hasKey(this.keys.meta("BO", sid))).isFalse();
		assertThat(redis.hasKey(this.keys.pending("BO"))).isFalse();
	}

	@Test
	void appendStampsTheUserIdIntoTheEntryByteExactlyAndTheUserJoins() {
		UUID sid = UUID.randomUUID();
		create("AU", sid, "owner-1");
		String body = "{\"id\":\"m1\",\"sender\":\"s\",\"data\":{\"text\":\"hé\"}}";
		String user = "auth0|a\"b/c\\d é";
		AppendReply stamped = append("AU", sid, "m1", body, user, LIMIT);
		assertThat(stamped.outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		String expected = "{\"seq\":1,\"userId\":\"auth0|a\\\"b\\/c\\\\d é\"," + body.substring(1);
		assertThat(stamped.message()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
		assertThat(redis.opsForList().index(this.keys.messages("AU", sid), 0)).isEqualTo(expected);
		assertThat(StoredEntries.isStorableObject(stamped.message())).isTrue();
		assertThat(redis.opsForHash().get(this.keys.meta("AU", sid), SessionMeta.BYTES))
			.isEqualTo(String.valueOf(stamped.message().length));
		// The owner's messages are stamped too, but the owner is no participant.
		assertThat(text(append("AU", sid, "m2", body.replace("m1", "m2"), "owner-1", LIMIT)))
			.startsWith("{\"seq\":2,\"userId\":\"owner-1\",\"id\":\"m2\"");
		// Without a user the entry is as before.
		assertThat(text(append("AU", sid, "m3", body.replace("m1", "m3"), null, LIMIT)))
			.isEqualTo("{\"seq\":3," + body.replace("m1", "m3").substring(1));
		assertThat(participants("AU", sid)).containsExactly(Map.entry(user, "read,append"));
		long metaTtl = redis.getExpire(this.keys.meta("AU", sid));
		assertThat(redis.getExpire(this.keys.participants("AU", sid))).isCloseTo(metaTtl, within(2L));
		// A retry answers the original, stamped, and stores nothing.
		AppendReply retry = append("AU", sid, "m1", body, "someone-else", LIMIT);
		assertThat(retry.outcome()).isEqualTo(AppendReply.Outcome.DUPLICATE);
		assertThat(retry.message()).isEqualTo(stamped.message());
		assertThat(participants("AU", sid)).containsOnlyKeys(user);
	}

	@Test
	void aParticipantWhoAppendsKeepsTheRightsHeld() {
		UUID sid = UUID.randomUUID();
		create("AK", sid, null);
		assertThat(join("AK", sid, "reader", "read", LIMIT)).isEqualTo(JoinReply.OK);
		append("AK", sid, "m1", "{\"id\":\"m1\"}", "reader", LIMIT);
		assertThat(participants("AK", sid)).containsExactly(Map.entry("reader", "read"));
	}

	@Test
	void appendRefusesANewParticipantPastTheLimitAndStoresNothing() {
		UUID sid = UUID.randomUUID();
		create("PL", sid, "boss");
		append("PL", sid, "m1", "{\"id\":\"m1\"}", "u1", 2);
		append("PL", sid, "m2", "{\"id\":\"m2\"}", "u2", 2);
		assertThat(append("PL", sid, "m3", "{\"id\":\"m3\"}", "u3", 2).outcome())
			.isEqualTo(AppendReply.Outcome.TOO_MANY_PARTICIPANTS);
		assertThat(redis.opsForList().size(this.keys.messages("PL", sid))).isEqualTo(2);
		assertThat(redis.opsForHash().hasKey(this.keys.messageIds("PL", sid), "m3")).isFalse();
		// Participants already there, the owner and anonymous appends still go in.
		assertThat(append("PL", sid, "m3", "{\"id\":\"m3\"}", "u1", 2).outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		assertThat(append("PL", sid, "m4", "{\"id\":\"m4\"}", "boss", 2).outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		assertThat(append("PL", sid, "m5", "{\"id\":\"m5\"}", null, 2).outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		assertThat(participants("PL", sid)).containsOnlyKeys("u1", "u2");
	}

	@Test
	void appendWithABadUserIdOrParticipantLimitWritesNothing() {
		UUID sid = UUID.randomUUID();
		create("BU", sid, null);
		SessionScripts.Call<AppendReply> call = SessionScripts.append(this.keys, "BU", sid, "m1", "{\"id\":\"m1\"}",
				System.currentTimeMillis(), 10, SAFETY, 1 << 20, "u1", LIMIT);
		String[][] bad = { { "8", "a\u0000b" }, { "8", "x".repeat(257) }, { "8", "cr\r" }, { "9", "0" },
				{ "9", "many" }, { "9", "1000001" } };
		for (String[] change : bad) {
			String[] args = call.args().toArray(new String[0]);
			args[Integer.parseInt(change[0])] = change[1];
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> redis.execute(SessionScripts.APPEND, call.keys(), (Object[]) args))
				.withStackTraceContaining((change[0].equals("8")) ? "user id must be" : "participant limit");
		}
		assertThat(redis.hasKey(this.keys.messages("BU", sid))).isFalse();
		assertThat(redis.hasKey(this.keys.messageIds("BU", sid))).isFalse();
		assertThat(redis.hasKey(this.keys.participants("BU", sid))).isFalse();
		assertThat(call.run(redis).outcome()).isEqualTo(AppendReply.Outcome.CREATED);
	}

	@Test
	void joinStoresTheUnionOfRightsWithTheMetasTtl() {
		UUID sid = UUID.randomUUID();
		create("JU", sid, "owner-1");
		assertThat(join("JU", sid, "u1", "read", LIMIT)).isEqualTo(JoinReply.OK);
		assertThat(join("JU", sid, "u1", "end", LIMIT)).isEqualTo(JoinReply.OK);
		assertThat(join("JU", sid, "u1", "append,end", LIMIT)).isEqualTo(JoinReply.OK);
		assertThat(join("JU", sid, "u2", "read,append", LIMIT)).isEqualTo(JoinReply.OK);
		assertThat(join("JU", sid, "owner-1", "read", LIMIT)).isEqualTo(JoinReply.OK);
		assertThat(participants("JU", sid)).containsOnly(Map.entry("u1", "read,append,end"),
				Map.entry("u2", "read,append"));
		long metaTtl = redis.getExpire(this.keys.meta("JU", sid));
		assertThat(metaTtl).isGreaterThan(SAFETY);
		assertThat(redis.getExpire(this.keys.participants("JU", sid))).isCloseTo(metaTtl, within(2L));
	}

	@Test
	void joinPastTheLimitIsFullAndWritesNothing() {
		UUID sid = UUID.randomUUID();
		create("JF", sid, null);
		assertThat(join("JF", sid, "u1", "read", 1)).isEqualTo(JoinReply.OK);
		assertThat(join("JF", sid, "u2", "read", 1)).isEqualTo(JoinReply.FULL);
		assertThat(join("JF", sid, "u1", "append", 1)).isEqualTo(JoinReply.OK);
		assertThat(participants("JF", sid)).containsExactly(Map.entry("u1", "read,append"));
	}

	@Test
	void joinOnAnEndedOrUnknownInstanceWritesNothing() {
		UUID ended = UUID.randomUUID();
		create("JE", ended, null);
		assertThat(run(SessionScripts.end(this.keys, "JE", ended, System.currentTimeMillis()))).isEqualTo(EndReply.ENDED);
		assertThat(join("JE", ended, "u1", "read", LIMIT)).isEqualTo(JoinReply.ENDED);
		assertThat(redis.hasKey(this.keys.participants("JE", ended))).isFalse();
		UUID unknown = UUID.randomUUID();
		assertThat(join("JE", unknown, "u1", "read", LIMIT)).isEqualTo(JoinReply.UNKNOWN);
		assertThat(redis.hasKey(this.keys.participants("JE", unknown))).isFalse();
		assertThat(redis.hasKey(this.keys.meta("JE", unknown))).isFalse();
	}

	@Test
	void joinRefusesBadArgumentsAndForeignRightsWritingNothing() {
		UUID sid = UUID.randomUUID();
		create("JB", sid, null);
		for (String rights : new String[] { "", "write", "append,read", "read,read", "read,", ",read", "READ" }) {
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> join("JB", sid, "u1", rights, LIMIT))
				.withStackTraceContaining("rights must be");
		}
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> join("JB", sid, "", "read", LIMIT))
			.withStackTraceContaining("user id must be");
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> join("JB", sid, "u1", "read", 0))
			.withStackTraceContaining("participant limit");
		assertThat(redis.hasKey(this.keys.participants("JB", sid))).isFalse();
		redis.opsForHash().put(this.keys.participants("JB", sid), "u1", "admin");
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> join("JB", sid, "u1", "read", LIMIT))
			.withStackTraceContaining("none of read,append,end");
		assertThat(participants("JB", sid)).containsExactly(Map.entry("u1", "admin"));
	}

	@Test
	void revokeRaisesTheEpochOfLiveAndEndedInstancesAndNeverWritesAMissingMeta() {
		UUID unknown = UUID.randomUUID();
		assertThat(revoke("RV", unknown)).isEqualTo(new RevokeReply(RevokeReply.Outcome.UNKNOWN, 0));
		assertThat(redis.hasKey(this.keys.meta("RV", unknown))).isFalse();
		UUID sid = UUID.randomUUID();
		create("RV", sid, "owner-1");
		assertThat(revoke("RV", sid)).isEqualTo(new RevokeReply(RevokeReply.Outcome.REVOKED, 1));
		run(SessionScripts.end(this.keys, "RV", sid, System.currentTimeMillis()));
		assertThat(revoke("RV", sid)).isEqualTo(new RevokeReply(RevokeReply.Outcome.REVOKED, 2));
		assertThat(page(read("RV", sid)).meta().tokenEpoch()).isEqualTo(2);
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> redis.execute(SessionScripts.REVOKE, List.of(this.keys.meta("RV", sid)),
					SessionScripts.LAYOUT_VERSION, UUID.randomUUID().toString()))
			.withStackTraceContaining("KEYS[1]");
		assertThat(page(read("RV", sid)).meta().tokenEpoch()).isEqualTo(2);
	}

	@Test
	void anAppendCheckedForTheUserLetsOnlyTheOwnerAndParticipantsWithAppendThroughAndTellsOthersNothing() {
		UUID sid = UUID.randomUUID();
		create("AC", sid, "owner-1");
		assertThat(checked("AC", sid, "m1", "owner-1", AppendCheck.USER).outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		join("AC", sid, "reader", "read", LIMIT);
		join("AC", sid, "writer", "read,append", LIMIT);
		// a stranger's retry of a known id learns nothing of the original
		assertThat(checked("AC", sid, "m1", "stranger", AppendCheck.USER).outcome())
			.isEqualTo(AppendReply.Outcome.FORBIDDEN);
		assertThat(checked("AC", sid, "m2", "reader", AppendCheck.USER).outcome())
			.isEqualTo(AppendReply.Outcome.FORBIDDEN);
		assertThat(checked("AC", sid, "m3", "writer", AppendCheck.USER).outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		assertThat(redis.opsForList().size(this.keys.messages("AC", sid))).isEqualTo(2);
		assertThat(participants("AC", sid)).doesNotContainKey("stranger");
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> checked("AC", sid, "m4", null, AppendCheck.USER))
			.withStackTraceContaining("the user check needs the appending user");
	}

	@Test
	void anAppendCheckedForASessionTokenIsRefusedOnceTheEpochIsRaised() {
		UUID sid = UUID.randomUUID();
		create("AT", sid, null);
		assertThat(checked("AT", sid, "m1", null, AppendCheck.token(0)).outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		revoke("AT", sid);
		assertThat(checked("AT", sid, "m1", null, AppendCheck.token(0)).outcome())
			.isEqualTo(AppendReply.Outcome.FORBIDDEN);
		assertThat(checked("AT", sid, "m2", null, AppendCheck.token(1)).outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		assertThat(checked("AT", UUID.randomUUID(), "m3", null, AppendCheck.token(5)).outcome())
			.isEqualTo(AppendReply.Outcome.UNKNOWN);
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> checked("AT", sid, "m4", null, new AppendCheck("-1")))
			.withStackTraceContaining("token epoch");
		assertThat(redis.opsForList().size(this.keys.messages("AT", sid))).isEqualTo(2);
	}

	@Test
	void aCallerOfLayoutTwoIsRefusedBeforeAnyWrite() {
		UUID sid = UUID.randomUUID();
		List<String> keys = List.of(this.keys.live("V2"), this.keys.meta("V2", sid), this.keys.pending("V2"));
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> redis.execute(SessionScripts.CREATE, keys, "2", sid.toString(), "V2",
					String.valueOf(System.currentTimeMillis()), "60000", "", "3600"))
			.withStackTraceContaining("speaks layout 4");
		assertThat(redis.hasKey(this.keys.live("V2"))).isFalse();
		assertThat(redis.hasKey(this.keys.meta("V2", sid))).isFalse();
	}

	@Test
	void anInstanceWrittenUnderLayoutTwoIsReadAppendedClaimedSlicedAndPurged() {
		UUID sid = UUID.randomUUID();
		long now = System.currentTimeMillis();
		// The key shapes of layout 2, as its scripts left them: no owner, no epoch, no users hash.
		redis.opsForValue().set(this.keys.live("L2"), sid.toString());
		redis.opsForHash()
			.putAll(this.keys.meta("L2", sid),
					Map.of("sessionId", sid.toString(), "code", "L2", "createdAt", String.valueOf(now), "ttlMillis",
							"60000", "expiresAt", String.valueOf(now + 60_000), "status", "active", "layout", "2",
							"bytes", "22"));
		redis.opsForList().rightPush(this.keys.messages("L2", sid), "{\"seq\":1,\"id\":\"old\"}x");
		redis.opsForHash().put(this.keys.messageIds("L2", sid), "old", "1");
		redis.opsForSet().add(this.keys.pending("L2"), sid.toString());
		SessionMeta meta = page(read("L2", sid)).meta();
		assertThat(meta.layout()).isEqualTo(2);
		assertThat(meta.owner()).isEmpty();
		assertThat(meta.tokenEpoch()).isZero();
		assertThat(append("L2", sid, "new", "{\"id\":\"new\"}", "u1", LIMIT).outcome())
			.isEqualTo(AppendReply.Outcome.CREATED);
		assertThat(run(SessionScripts.end(this.keys, "L2", sid, now))).isEqualTo(EndReply.ENDED);
		SessionRef ref = new SessionRef("L2", sid);
		ClaimReply claim = run(SessionScripts.claim(this.keys, ref, "w1", 30_000));
		assertThat(claim.outcome()).isEqualTo(ClaimReply.Outcome.CLAIMED);
		assertThat(claim.messageCount()).isEqualTo(2);
		SessionMeta claimed = SessionMeta.fromValues(claim.meta());
		assertThat(claimed.owner()).isEmpty();
		assertThat(claimed.tokenEpoch()).isZero();
		SliceReply slice = run(SessionScripts.slice(this.keys, ref, "w1", 30_000, 1, 10, 1 << 20));
		assertThat(slice.entries()).hasSize(2);
		assertThat(new String(slice.entries().get(0), StandardCharsets.UTF_8)).isEqualTo("{\"seq\":1,\"id\":\"old\"}x");
		assertThat(run(SessionScripts.purge(this.keys, ref))).isEqualTo(PurgeReply.PURGED);
		for (String key : List.of(this.keys.meta("L2", sid), this.keys.messages("L2", sid),
				this.keys.messageIds("L2", sid), this.keys.participants("L2", sid), this.keys.claim("L2", sid))) {
			assertThat(redis.hasKey(key)).as(key).isFalse();
		}
		assertThat(redis.opsForSet().isMember(this.keys.pending("L2"), sid.toString())).isFalse();
	}

	private static ReadReply.Page page(ReadReply reply) {
		assertThat(reply).isInstanceOf(ReadReply.Page.class);
		return (ReadReply.Page) reply;
	}

	private static String text(AppendReply reply) {
		return new String(reply.message(), StandardCharsets.UTF_8);
	}

	private Map<Object, Object> participants(String code, UUID sid) {
		return redis.opsForHash().entries(this.keys.participants(code, sid));
	}

	private CreateReply create(String code, UUID sid, String owner) {
		return run(SessionScripts.create(this.keys, code, sid, System.currentTimeMillis(), 60_000, "", SAFETY, owner));
	}

	private AppendReply append(String code, UUID sid, String id, String body, String userId, int maxParticipants) {
		return run(SessionScripts.append(this.keys, code, sid, id, body, System.currentTimeMillis(), 100, SAFETY,
				1L << 30, userId, maxParticipants));
	}

	private AppendReply checked(String code, UUID sid, String id, String userId, AppendCheck check) {
		return run(SessionScripts.append(this.keys, code, sid, id, "{\"id\":\"" + id + "\"}", System.currentTimeMillis(),
				100, SAFETY, 1L << 30, userId, LIMIT, check));
	}

	private JoinReply join(String code, UUID sid, String userId, String rights, int maxParticipants) {
		return run(SessionScripts.join(this.keys, code, sid, userId, rights, maxParticipants));
	}

	private RevokeReply revoke(String code, UUID sid) {
		return run(SessionScripts.revoke(this.keys, code, sid));
	}

	private ReadReply read(String code, UUID sid) {
		return run(SessionScripts.read(this.keys, code, sid, "latest", 0, 10, 1 << 20));
	}

	/** Runs a call with one argument replaced by raw bytes, which no {@code String} can carry. */
	private static Object evalBytes(SessionScripts.Call<?> call, int argIndex, byte[] value) {
		List<byte[]> keysAndArgs = new ArrayList<>();
		for (String key : call.keys()) {
			keysAndArgs.add(key.getBytes(StandardCharsets.UTF_8));
		}
		for (int i = 0; i < call.args().size(); i++) {
			keysAndArgs.add((i == argIndex) ? value : call.args().get(i).getBytes(StandardCharsets.UTF_8));
		}
		RedisScript<?> script = call.script();
		return redis.execute((RedisCallback<Object>) (connection) -> connection.scriptingCommands()
			.eval(script.getScriptAsString().getBytes(StandardCharsets.UTF_8), ReturnType.STATUS, call.keys().size(),
					keysAndArgs.toArray(byte[][]::new)));
	}

	private static <R> R run(SessionScripts.Call<R> call) {
		return call.run(redis);
	}

}
