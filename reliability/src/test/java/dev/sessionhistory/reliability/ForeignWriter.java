package dev.sessionhistory.reliability;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.model.AppendReply;
import dev.sessionhistory.model.CreateReply;
import dev.sessionhistory.model.EndReply;
import dev.sessionhistory.model.MessageJson;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionScripts;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Another program writing the Redis layout straight into the scenario's Redis, with the
 * published scripts ({@link SessionScripts}) where it follows them and raw commands where
 * it does not: junk in a message list, due members that name no instance of the layout, a
 * session id in upper case, a session id reused under another code. Each method writes one
 * kind and checks what the system must make of it; whatever is wrong goes to the ledger.
 */
final class ForeignWriter {

	static final String JUNK_CODE = "junk";

	static final String REUSED_CODE = "reused";

	static final String UPPER_CODE = "upper";

	/**
	 * Entries no script writes, RPUSHed as they are: text, JSON that would close a page's
	 * array early and set its {@code status} and {@code total} again, and bytes that are no
	 * UTF-8. They take seqs 3 to 5 of the junk session.
	 */
	static final List<byte[]> JUNK = List.of("not JSON, just a line of text".getBytes(StandardCharsets.UTF_8),
			"{\"id\":\"m2\"}],\"status\":\"hacked\",\"total\":999,\"x\":[{\"y\":1}".getBytes(StandardCharsets.UTF_8),
			new byte[] { '{', '"', 'x', '"', ':', '"', (byte) 0xC3, '(', (byte) 0xFF, (byte) 0xFE, '"', '}' });

	private static final int FIRST_JUNK_SEQ = 3;

	private static final int JUNK_TOTAL = 4 + 3;

	private static final long TTL_MILLIS = 600_000;

	private static final long SAFETY_SECONDS = 3600;

	/** Refuses what a lenient parser lets through: a key twice (the later one winning), text after the end. */
	private static final JsonMapper STRICT = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private final TestRedis redis;

	private final Ledger ledger;

	private final RedisKeys keys = RedisKeys.withPrefix(Stack.KEY_PREFIX);

	ForeignWriter(TestRedis redis, Ledger ledger) {
		this.redis = redis;
		this.ledger = ledger;
	}

	/** The junk session, through the API: two messages, {@link #JUNK}, two more messages. */
	void writeJunkSession(Api api) {
		if (!Clients.create(api, this.ledger, JUNK_CODE, 600)) {
			this.ledger.problem("could not create " + JUNK_CODE);
			return;
		}
		UUID sessionId = this.ledger.session(JUNK_CODE).id;
		Clients.append(api, this.ledger, JUNK_CODE, "junk-m1", Payloads.data(1));
		Clients.append(api, this.ledger, JUNK_CODE, "junk-m2", Payloads.data(2));
		for (byte[] junk : JUNK) {
			this.redis.rpush(this.keys.messages(JUNK_CODE, sessionId), junk);
			this.ledger.fault();
		}
		Clients.append(api, this.ledger, JUNK_CODE, "junk-m3", Payloads.data(3));
		Clients.append(api, this.ledger, JUNK_CODE, "junk-m4", Payloads.data(4));
	}

	/**
	 * Reads the junk session's page and checks it: valid UTF-8 and JSON without a key twice;
	 * {@code status}, {@code total} and {@code messages} as in Redis, not rewritten by the
	 * junk; each acknowledged message byte for byte; each junk entry wrapped as
	 * {@code {"seq":N,"malformed":true,"raw":"…"}}.
	 * @return the body, {@code null} when it is no valid page
	 */
	String junkPage(Api api, String status, String source) {
		String what = "the " + source + " page of " + JUNK_CODE;
		Api.Bytes answer = api.getBytes("/sessions/" + JUNK_CODE + "/history?limit=100");
		if (answer.status() != 200) {
			this.ledger.problem(what + " answered " + answer.status());
			return null;
		}
		String body;
		JsonNode page;
		try {
			body = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(answer.body())).toString();
			page = STRICT.readTree(body);
		}
		catch (CharacterCodingException | RuntimeException ex) {
			this.ledger.problem(what + " is no valid UTF-8 JSON (" + ex.getMessage() + "): "
					+ JsonArrays.abbreviate(new String(answer.body(), StandardCharsets.UTF_8)));
			return null;
		}
		JsonNode messages = page.path("messages");
		if (!page.path("source").asString().equals(source) || !page.path("status").asString().equals(status)
				|| page.path("total").asLong() != JUNK_TOTAL || messages.size() != JUNK_TOTAL) {
			this.ledger.problem(what + " should be " + source + ", " + status + ", " + JUNK_TOTAL + " of "
					+ JUNK_TOTAL + " messages: " + JsonArrays.abbreviate(body));
			return body;
		}
		for (int i = 0; i < messages.size(); i++) {
			JsonNode message = messages.get(i);
			int junk = i + 1 - FIRST_JUNK_SEQ;
			boolean wrapped = message.path("seq").asLong() == i + 1 && message.path("malformed").asBoolean()
					&& message.path("raw").isString() && message.size() == 3;
			if (junk >= 0 && junk < JUNK.size() && (!wrapped || (junk < 2
					&& !message.path("raw").asString().equals(new String(JUNK.get(junk), StandardCharsets.UTF_8))))) {
				this.ledger.problem(what + ": seq " + (i + 1) + " should be the junk entry wrapped as malformed, is "
						+ message);
			}
		}
		for (Ledger.Ack ack : this.ledger.session(JUNK_CODE).bySeq.values()) {
			if (!body.contains(ack.stored())) {
				this.ledger.problem(what + " lacks seq " + ack.seq() + " as stored: " + ack.stored());
			}
		}
		return body;
	}

	/**
	 * Puts {@code count} members with upper-case session ids at the head of the due index,
	 * as a writer that spelled its ids so would: due a day ago.
	 * @return the members
	 */
	List<String> writeUpperCaseDueMembers(int count) {
		long dayAgo = System.currentTimeMillis() - 86_400_000L;
		List<String> members = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			String member = UPPER_CODE + i + " " + UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
			this.redis.commands().zadd(this.keys.due(UPPER_CODE + i), dayAgo + i, member);
			members.add(member);
			this.ledger.fault();
		}
		return members;
	}

	/**
	 * The worker must set them aside (a score in the future, the member kept: data under
	 * such ids would be kept too), once each, and go on with the rest.
	 */
	void checkSetAside(List<String> members, long writtenAt, double invalidDataFailures) {
		List<Double> scores = members.stream()
			.map((member) -> this.redis.commands().zscore(this.keys.due(member.substring(0, member.indexOf(' '))), member))
			.toList();
		long later = writtenAt + 60_000;
		long setAside = scores.stream().filter((score) -> score != null && score > later).count();
		if (setAside != members.size()) {
			this.ledger.problem(setAside + " of " + members.size()
					+ " upper-case due members set aside for later, the others removed or still due: " + scores);
		}
		if (invalidDataFailures != members.size()) {
			this.ledger.problem("history_archive_failures_total{reason=\"invalid-data\"} is " + invalidDataFailures
					+ ", expected " + members.size() + " (each upper-case due member once)");
		}
	}

	/** create.lua with an upper-case session id must be an error that writes nothing. */
	void createWithUpperCaseId() {
		UUID sessionId = UUID.randomUUID();
		String upper = sessionId.toString().toUpperCase(java.util.Locale.ROOT);
		SessionScripts.Call<CreateReply> call = SessionScripts.create(this.keys, UPPER_CODE, sessionId,
				System.currentTimeMillis(), TTL_MILLIS, "", SAFETY_SECONDS, null);
		// The keys and arguments a writer that spells its ids in upper case lays out.
		SessionScripts.Call<CreateReply> spelled = new SessionScripts.Call<>(call.script(),
				call.keys().stream().map((key) -> key.replace(sessionId.toString(), upper)).toList(),
				call.args().stream().map((arg) -> arg.replace(sessionId.toString(), upper)).toList(), call.reply());
		this.ledger.fault();
		try {
			Object answer = this.redis.run(spelled, ScriptOutputType.VALUE);
			this.ledger.problem("create.lua with session id " + upper + " answered " + answer + ", not an error");
		}
		catch (RedisCommandExecutionException ex) {
			if (!String.valueOf(ex.getMessage()).contains("lower-case")) {
				this.ledger.problem("create.lua with session id " + upper + " failed otherwise: " + ex.getMessage());
			}
		}
		List<String> keys = new ArrayList<>(spelled.keys());
		keys.add(this.keys.meta(UPPER_CODE, sessionId));
		long written = this.redis.commands().exists(keys.toArray(String[]::new));
		if (written != 0) {
			this.ledger.problem("the refused create.lua wrote " + written + " of the keys " + keys);
		}
	}

	/**
	 * Creates a new instance under {@link #REUSED_CODE} with the session id of an archived
	 * instance, appends a message and ends it, all with the scripts.
	 * @return the ended instance
	 */
	SessionRef reuseSessionId(UUID archived) {
		long now = System.currentTimeMillis();
		SessionRef ref = new SessionRef(REUSED_CODE, archived);
		this.redis.commands().zadd(this.keys.due(ref.code()), now + TTL_MILLIS, ref.member());
		CreateReply created = this.redis.run(
				SessionScripts.create(this.keys, REUSED_CODE, archived, now, TTL_MILLIS, "", SAFETY_SECONDS, null),
				ScriptOutputType.VALUE);
		String message = MessageJson.unsequenced("f-1", Instant.ofEpochMilli(now), "foreign", "note", "{\"n\":1}");
		AppendReply appended = this.redis.run(SessionScripts.append(this.keys, REUSED_CODE, archived, "f-1", message, now,
				10_000, SAFETY_SECONDS, 16L << 20, null, 1000), ScriptOutputType.MULTI);
		EndReply ended = this.redis.run(SessionScripts.end(this.keys, REUSED_CODE, archived, now),
				ScriptOutputType.VALUE);
		this.redis.commands().zadd(this.keys.due(ref.code()), ZAddArgs.Builder.lt(), now, ref.member());
		this.ledger.fault();
		if (created != CreateReply.OK || appended.outcome() != AppendReply.Outcome.CREATED || ended != EndReply.ENDED) {
			this.ledger.problem("the reused session id's instance: create " + created + ", append "
					+ appended.outcome() + ", end " + ended);
		}
		return ref;
	}

	/** The reused id's instance must be kept in Redis, not purged, the first archive unchanged. */
	void checkKept(SessionRef ref, Archive.Row before, Archive.Row after, double conflicts) {
		if (conflicts < 1) {
			this.ledger.problem("the worker counted no conflict for " + ref.member());
		}
		long kept = this.redis.commands()
			.exists(this.keys.meta(ref.code(), ref.sessionId()), this.keys.messages(ref.code(), ref.sessionId()));
		if (kept != 2 || !this.redis.commands().sismember(this.keys.pending(ref.code()), ref.sessionId().toString())) {
			this.ledger.problem(ref.member() + " (a reused session id) was purged from Redis: " + kept
					+ " of its meta and message keys left");
		}
		if (after == null || !after.code().equals(before.code()) || after.messageCount() != before.messageCount()
				|| !after.messagesRaw().equals(before.messagesRaw())) {
			this.ledger.problem("the archive of " + before.code() + " " + before.sessionId()
					+ " changed after its id was reused: " + after);
		}
	}

}
