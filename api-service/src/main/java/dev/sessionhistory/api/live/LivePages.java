package dev.sessionhistory.api.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.PageReads;
import dev.sessionhistory.model.ReadReply;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.StoredEntries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Pages of the session instances in Redis, the hot path of a live history: read with
 * {@link PageReads} in one round trip, the code's current instance found through
 * {@link LiveSessions}, and entries that no storable JSON object (a foreign writer's)
 * served wrapped, as the archive will keep them; each entry is judged once
 * ({@link JudgedEntries}).
 */
@Component
public class LivePages {

	/**
	 * The memory for remembering judged entries: about 1.8 million entries (some 400 MB of
	 * live messages of 220 bytes) in blocks of {@value JudgedEntries#BLOCK}.
	 */
	static final long JUDGED_ENTRIES_BYTES = 16L * 1024 * 1024;

	private final LiveSessions sessions;

	private final JudgedEntries judged = new JudgedEntries(JUDGED_ENTRIES_BYTES);

	private final PageReads pages;

	private final Counter malformed;

	LivePages(LiveSessions sessions, LettuceConnectionFactory connections, RedisKeys keys,
			HistoryProperties properties, MeterRegistry registry) {
		this.sessions = sessions;
		this.pages = new PageReads(connections, keys, properties.page().maxBytes().toBytes(),
				properties.message().maxSize().toBytes());
		FunctionCounter.builder("history.reads.pipelined", this.pages, PageReads::pipelinedReads)
			.description("Live reads sent as one pipeline of plain commands")
			.register(registry);
		FunctionCounter.builder("history.reads.scripted", this.pages, PageReads::scriptedReads)
			.description("Live reads that went to read.lua: no live instance, a raced append or end, "
					+ "or a page that could pass the byte cap")
			.register(registry);
		this.malformed = Counter.builder("history.reads.malformed")
			.description("Live entries that are no storable JSON object (a foreign writer's), served wrapped")
			.register(registry);
	}

	/**
	 * One page of an instance's history, in one round trip ({@link PageReads}).
	 * @param mode 'latest', 'after' or 'before'
	 * @return empty when the instance has no data in Redis (unknown, or archived and purged)
	 */
	public Optional<LivePage> read(String code, UUID sessionId, String mode, long cursor, int limit) {
		ReadReply reply = this.pages.read(code, sessionId, mode, cursor, limit);
		if (reply instanceof ReadReply.Page page) {
			return Optional.of(page(code, sessionId, page));
		}
		if (reply instanceof ReadReply.None) {
			return Optional.empty();
		}
		throw new IllegalStateException("read.lua answered " + reply + " to a read of " + sessionId);
	}

	/**
	 * One page of the code's current instance: the live one, else the latest ended one not
	 * archived yet. One round trip when the current instance is the one this process saw
	 * last for the code (the script checks it), as it is for all reads of a live session but
	 * the first; one more after the code got a new instance, two more when several ended
	 * ones wait (a foreign writer's).
	 * @param mode 'latest', 'after' or 'before'
	 * @return empty when the code has no instance in Redis
	 */
	public Optional<LivePage> readCurrent(String code, String mode, long cursor, int limit) {
		UUID expected = this.sessions.rememberedCurrent(code).orElse(null);
		ReadReply reply = this.pages.readCurrent(code, expected, mode, cursor, limit);
		if (reply instanceof ReadReply.Page page && expected != null) {
			return Optional.of(page(code, expected, page));
		}
		Optional<UUID> current;
		if (reply instanceof ReadReply.Current named) {
			current = Optional.of(named.sessionId());
		}
		else if (reply instanceof ReadReply.Pending pending) {
			current = this.sessions.latest(code, pending.sessionIds());
		}
		else if (reply instanceof ReadReply.None) {
			current = Optional.empty();
		}
		else {
			throw new IllegalStateException("read.lua answered " + reply + " to a read of the current instance of "
					+ code + " without an instance to expect");
		}
		this.sessions.remember(code, current.orElse(null));
		if (current.isEmpty()) {
			return Optional.empty();
		}
		return read(code, current.get(), mode, cursor, limit);
	}

	private LivePage page(String code, UUID sessionId, ReadReply.Page page) {
		List<byte[]> entries = page.messages();
		boolean[] storable = this.judged.judge(code, sessionId, page.firstSeq() - 1, entries);
		List<byte[]> messages = new ArrayList<>(entries.size());
		for (int i = 0; i < storable.length; i++) {
			if (storable[i]) {
				messages.add(entries.get(i));
			}
			else {
				// A foreign writer's entry: served as the archive will keep it, at its seq.
				messages.add(StoredEntries.malformed(page.firstSeq() + i, entries.get(i)));
				this.malformed.increment();
			}
		}
		return new LivePage(sessionId, page.live(), page.total(), page.hasMore(), page.meta(), messages);
	}

}
