package dev.sessionhistory.worker.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.model.Participant;
import dev.sessionhistory.model.Pipeline;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The Redis side of an archive's users: the participants of claimed instances
 * ({@link RedisKeys#participants}), read in {@code HSCAN} windows of {@value #WINDOW}
 * entries, one pipelined round trip per window of every instance, so no reply depends on
 * how many participants an instance has; and the token epochs, read again right before
 * the archive commits, so a revoke after the claim is not lost.
 */
@Component
class ParticipantReader {

	/** The {@code COUNT} of each {@code HSCAN}. */
	static final int WINDOW = 100;

	private static final ScanArgs SCAN = ScanArgs.Builder.limit(WINDOW);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	ParticipantReader(StringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * The participants of each instance, or why they cannot be archived.
	 *
	 * @param participants the entries of the users hash, each once
	 * @param problem {@code null}, else what is wrong with the hash (a foreign writer's)
	 */
	record Users(List<Participant> participants, String problem) {
	}

	/**
	 * @throws DataAccessException when Redis cannot be used (nothing read)
	 */
	Map<SessionRef, Users> read(List<SessionRef> refs) {
		Map<SessionRef, Map<String, String>> found = new LinkedHashMap<>();
		Map<SessionRef, String> problems = new HashMap<>();
		Map<SessionRef, ScanCursor> next = new LinkedHashMap<>();
		refs.forEach((ref) -> {
			found.put(ref, new LinkedHashMap<>());
			next.put(ref, ScanCursor.INITIAL);
		});
		while (!next.isEmpty()) {
			List<SessionRef> round = new ArrayList<>(next.keySet());
			List<Object> replies = Pipeline.runUndecoded(this.redis, (commands, futures) -> round
				.forEach((ref) -> futures.add(commands.hscan(key(ref), next.get(ref), SCAN))));
			for (int i = 0; i < round.size(); i++) {
				SessionRef ref = round.get(i);
				Object reply = replies.get(i);
				if (!(reply instanceof MapScanCursor<?, ?> cursor)) {
					problems.put(ref, "its users hash cannot be read: "
							+ ((reply instanceof Throwable ex) ? Pipeline.rootMessage(ex) : String.valueOf(reply)));
					next.remove(ref);
					continue;
				}
				cursor.getMap().forEach((user, rights) -> found.get(ref).put(text(user), text(rights)));
				if (cursor.isFinished()) {
					next.remove(ref);
				}
				else {
					next.put(ref, ScanCursor.of(cursor.getCursor()));
				}
			}
		}
		Map<SessionRef, Users> users = new LinkedHashMap<>();
		found.forEach((ref, entries) -> users.put(ref, users(entries, problems.get(ref))));
		return users;
	}

	/**
	 * The token epochs that a revoke raised since the rows were claimed, read from the meta
	 * hashes right before the rows commit (one {@code HGET} each, all in one round trip), so
	 * the archive keeps the larger one.
	 * @return the raised epochs by session id; none for an absent or unreadable field (the
	 * claimed epoch stands then)
	 * @throws ReadFailedException when Redis cannot be used: the transaction rolls back
	 */
	Map<UUID, Integer> raisedEpochs(List<ArchiveRow> rows) {
		if (rows.isEmpty()) {
			return Map.of();
		}
		List<Object> replies;
		try {
			replies = Pipeline.run(this.redis, (commands, futures) -> rows.forEach((row) -> futures.add(commands.hget(
					Pipeline.bytes(this.keys.meta(row.ref().code(), row.ref().sessionId())),
					Pipeline.bytes(SessionMeta.TOKEN_EPOCH)))));
		}
		catch (DataAccessException ex) {
			throw new ReadFailedException("the token epochs could not be read again: " + ex.getMessage(), ex);
		}
		Map<UUID, Integer> raised = new LinkedHashMap<>();
		for (int i = 0; i < rows.size(); i++) {
			ArchiveRow row = rows.get(i);
			long epoch = (replies.get(i) instanceof String text && text.matches("[0-9]{1,9}")) ? Long.parseLong(text) : 0;
			if (epoch > row.meta().tokenEpoch() && epoch <= Integer.MAX_VALUE) {
				raised.put(row.ref().sessionId(), (int) epoch);
			}
		}
		return raised;
	}

	private byte[] key(SessionRef ref) {
		return Pipeline.bytes(this.keys.participants(ref.code(), ref.sessionId()));
	}

	private static Users users(Map<String, String> entries, String problem) {
		if (problem != null) {
			return new Users(List.of(), problem);
		}
		List<Participant> participants = new ArrayList<>(entries.size());
		try {
			entries.forEach((user, rights) -> participants.add(new Participant(user, rights)));
		}
		catch (IllegalArgumentException ex) {
			return new Users(List.of(), "its users hash holds an entry of no participant: " + ex.getMessage());
		}
		return new Users(participants, null);
	}

	/** The bytes as text, or {@code null} (no user id, no rights) if they are no UTF-8. */
	private static String text(Object value) {
		byte[] bytes = (byte[]) value;
		String text = new String(bytes, StandardCharsets.UTF_8);
		return Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes) ? text : null;
	}

	/**
	 * Redis failed while an archive was being written: its transaction rolls back, and the
	 * instance is tried again. Not a {@link DataAccessException}, so it is never taken for
	 * a failure of PostgreSQL.
	 */
	static final class ReadFailedException extends RuntimeException {

		ReadFailedException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
