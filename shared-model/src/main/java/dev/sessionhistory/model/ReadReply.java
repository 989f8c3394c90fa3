package dev.sessionhistory.model;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The reply of {@code read.lua}: a page, or where the page is to be found.
 */
public sealed interface ReadReply {

	/** The published words of {@code read.lua}. */
	enum Word {

		PAGE, NONE, CURRENT, PENDING

	}

	/**
	 * @throws IllegalStateException for anything the script never answers
	 * @throws InvalidSessionDataException for a meta hash or live key that does not follow
	 * the layout (a foreign writer's)
	 */
	static ReadReply parse(Object reply) {
		List<?> values = ScriptReplies.tagged("read.lua", reply);
		Word word = ScriptReplies.word("read.lua", values.get(0), Word.class);
		return switch (word) {
			case PAGE -> Page.of(values);
			case NONE -> {
				ScriptReplies.size("read.lua", values, 1);
				yield new None();
			}
			case CURRENT -> {
				ScriptReplies.size("read.lua", values, 2);
				String live = ScriptReplies.text(values.get(1));
				yield new Current(RedisKeys.parseSessionId(live)
					.orElseThrow(() -> new InvalidSessionDataException(
							"The live key holds '" + live + "', not a session id", null)));
			}
			case PENDING -> {
				List<UUID> ids = new ArrayList<>();
				for (Object value : values.subList(1, values.size())) {
					String id = ScriptReplies.text(value);
					ids.add(RedisKeys.parseSessionId(id).orElseThrow(() -> ScriptReplies.unexpected("read.lua", reply)));
				}
				if (ids.size() < 2) {
					throw ScriptReplies.unexpected("read.lua", reply);
				}
				yield new Pending(List.copyOf(ids));
			}
		};
	}

	/**
	 * One consistent page of the instance whose keys were passed.
	 *
	 * @param live whether it is the live instance of its code
	 * @param total how many messages it holds
	 * @param hasMore whether more messages lie in the direction asked
	 * @param firstSeq the seq of the page's first message, 0 for an empty page
	 * @param meta its meta hash
	 * @param messages the stored entries (UTF-8 bytes), ascending seq, untouched: judging
	 * them is the caller's business
	 */
	record Page(boolean live, long total, boolean hasMore, long firstSeq, SessionMeta meta,
			List<byte[]> messages) implements ReadReply {

		private static Page of(List<?> values) {
			int metaEnd = 5 + SessionMeta.FIELDS.size();
			if (values.size() < metaEnd) {
				throw ScriptReplies.unexpected("read.lua", values);
			}
			return new Page(ScriptReplies.number("read.lua", values.get(1)) == 1,
					ScriptReplies.number("read.lua", values.get(2)), ScriptReplies.number("read.lua", values.get(3)) == 1,
					ScriptReplies.number("read.lua", values.get(4)),
					SessionMeta.fromValues(ScriptReplies.texts(values.subList(5, metaEnd))),
					ScriptReplies.byteList(values.subList(metaEnd, values.size())));
		}

	}

	/**
	 * Nothing to read in Redis: the instance asked for has no meta, or (asked for the
	 * code's current instance) the code has no live key and no pending instance.
	 */
	record None() implements ReadReply {
	}

	/**
	 * Asked for the code's current instance: it is {@code sessionId}, not the instance
	 * whose keys were passed. Read it by its id.
	 */
	record Current(UUID sessionId) implements ReadReply {
	}

	/**
	 * Asked for the code's current instance: none is live, and several wait for their
	 * archive (at most 16 of them listed). The latest by {@code createdAt} is the current one.
	 */
	record Pending(List<UUID> sessionIds) implements ReadReply {
	}

}
