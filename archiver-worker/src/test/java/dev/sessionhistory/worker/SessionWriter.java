package dev.sessionhistory.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.model.AppendReply;
import dev.sessionhistory.model.CreateReply;
import dev.sessionhistory.model.EndReply;
import dev.sessionhistory.model.MessageJson;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.SessionMeta;
import dev.sessionhistory.model.SessionScripts;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes sessions into Redis the way a writer does (the create, append and end scripts
 * plus the due index), remembering every message as acknowledged.
 */
public final class SessionWriter implements AutoCloseable {

	private static final long SAFETY_SECONDS = 3600;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final LettuceConnectionFactory ownFactory;

	public SessionWriter(StringRedisTemplate redis, RedisKeys keys) {
		this(redis, keys, null);
	}

	private SessionWriter(StringRedisTemplate redis, RedisKeys keys, LettuceConnectionFactory ownFactory) {
		this.redis = redis;
		this.keys = keys;
		this.ownFactory = ownFactory;
	}

	/** A writer with a connection of its own, for tests without an application context. */
	public static SessionWriter connect(String redisUrl, String keyPrefix) {
		return connect(LettuceConnectionFactory.createRedisConfiguration(redisUrl), keyPrefix);
	}

	/** A writer on a connection of its own to a single Redis or a cluster. */
	public static SessionWriter connect(RedisConfiguration configuration, String keyPrefix) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
		factory.afterPropertiesSet();
		factory.start();
		return new SessionWriter(new StringRedisTemplate(factory), RedisKeys.withPrefix(keyPrefix), factory);
	}

	/** The connection factory of a writer on a connection of its own ({@link #connect}). */
	public LettuceConnectionFactory connectionFactory() {
		if (this.ownFactory == null) {
			throw new IllegalStateException("This writer uses another's connection");
		}
		return this.ownFactory;
	}

	public StringRedisTemplate redis() {
		return this.redis;
	}

	public RedisKeys keys() {
		return this.keys;
	}

	/** Creates a session that expires {@code ttlMillis} after its last message. */
	public Session create(String code, long ttlMillis) {
		return create(code, ttlMillis, null);
	}

	/** Creates a session of {@code owner} ({@code null} for none). */
	public Session create(String code, long ttlMillis, String owner) {
		return create(code, UUID.randomUUID(), ttlMillis, owner);
	}

	/**
	 * Writes an instance of the same code and session id as {@code session} again, with one
	 * message: a foreign writer reusing an id, or a Redis restored from an old backup.
	 */
	public Session restore(Session session) {
		return create(session.code(), session.sid(), 3_600_000, null).append(1);
	}

	private Session create(String code, UUID sid, long ttlMillis, String owner) {
		long now = System.currentTimeMillis();
		CreateReply result = SessionScripts
			.create(this.keys, code, sid, now, ttlMillis, "{\"room\":\"" + code + "\"}", SAFETY_SECONDS, owner)
			.run(this.redis);
		assertThat(result).isEqualTo(CreateReply.OK);
		this.redis.opsForZSet().add(this.keys.due(code), code + " " + sid, now + ttlMillis);
		return new Session(code, sid);
	}

	@Override
	public void close() {
		if (this.ownFactory != null) {
			this.ownFactory.destroy();
		}
	}

	/** One session instance and what was acknowledged for it. */
	public final class Session {

		private final String code;

		private final UUID sid;

		private final List<String> acknowledged = new ArrayList<>();

		Session(String code, UUID sid) {
			this.code = code;
			this.sid = sid;
		}

		public String code() {
			return this.code;
		}

		public UUID sid() {
			return this.sid;
		}

		public String member() {
			return this.code + " " + this.sid;
		}

		/** The stored text of each acknowledged message, in seq order. */
		public List<String> acknowledged() {
			return List.copyOf(this.acknowledged);
		}

		public Session append(int count) {
			for (int i = 0; i < count; i++) {
				String id = UUID.randomUUID().toString();
				append(id, MessageJson.unsequenced(id, Instant.now(), "user-" + i, "chat",
						"{\"text\":\"message " + (this.acknowledged.size() + 1) + " of " + this.code + " \\\"é\\\"\"}"));
			}
			return this;
		}

		/** Appends a message body as the API would, returning the acknowledged text. */
		public String append(String id, String body) {
			return appendAs(null, id, body);
		}

		/** Appends a message body as {@code userId} ({@code null} for none), who joins. */
		public String appendAs(String userId, String id, String body) {
			RedisKeys keys = SessionWriter.this.keys;
			AppendReply reply = SessionScripts
				.append(keys, this.code, this.sid, id, body, System.currentTimeMillis(), 100_000, SAFETY_SECONDS,
						1L << 40, userId, 1000)
				.run(SessionWriter.this.redis);
			assertThat(reply.outcome()).isEqualTo(AppendReply.Outcome.CREATED);
			String stored = new String(reply.message(), StandardCharsets.UTF_8);
			this.acknowledged.add(stored);
			return stored;
		}

		/** Pushes an entry as a foreign writer might, bypassing the append script. */
		public void appendForeign(String raw) {
			SessionWriter.this.redis.opsForList().rightPush(SessionWriter.this.keys.messages(this.code, this.sid), raw);
		}

		/** Ends the session explicitly, as the API does. */
		public Session end() {
			long now = System.currentTimeMillis();
			RedisKeys keys = SessionWriter.this.keys;
			EndReply result = SessionScripts.end(keys, this.code, this.sid, now).run(SessionWriter.this.redis);
			assertThat(result).isEqualTo(EndReply.ENDED);
			SessionWriter.this.redis.opsForZSet().add(keys.due(code()), member(), now);
			return this;
		}

		/**
		 * Ends the session as the end script does, but without its publish: an end whose
		 * event is lost in transit, so only the sweep can find it.
		 * @param dueIn how long after the end the due index names it
		 */
		public Session endWithoutEvent(Duration dueIn) {
			long endedAt = markEnded();
			SessionWriter.this.redis.opsForZSet()
				.add(SessionWriter.this.keys.due(code()), member(), endedAt + dueIn.toMillis());
			return this;
		}

		/**
		 * Ends the session without its event and leaves it out of the due index, as a writer
		 * that failed between its script and its {@code ZADD}: only the reconcile can find it.
		 */
		public Session endUnindexed() {
			markEnded();
			SessionWriter.this.redis.opsForZSet().remove(SessionWriter.this.keys.due(code()), member());
			return this;
		}

		private long markEnded() {
			long endedAt = System.currentTimeMillis();
			RedisKeys keys = SessionWriter.this.keys;
			SessionWriter.this.redis.delete(keys.live(this.code));
			SessionWriter.this.redis.opsForHash()
				.putAll(keys.meta(this.code, this.sid), Map.of(SessionMeta.STATUS, SessionMeta.ENDED,
						SessionMeta.ENDED_AT, String.valueOf(endedAt), SessionMeta.END_REASON, SessionMeta.REASON_ENDED));
			return endedAt;
		}

		/** Whether any of the instance's data is still in Redis. */
		public boolean inRedis() {
			RedisKeys keys = SessionWriter.this.keys;
			return Boolean.TRUE.equals(SessionWriter.this.redis.hasKey(keys.meta(this.code, this.sid)))
					|| Boolean.TRUE.equals(SessionWriter.this.redis.hasKey(keys.messages(this.code, this.sid)))
					|| SessionWriter.this.redis.opsForZSet().score(keys.due(code()), member()) != null;
		}

	}

}
