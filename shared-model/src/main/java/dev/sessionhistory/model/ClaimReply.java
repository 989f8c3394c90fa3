package dev.sessionhistory.model;

import java.util.List;

/**
 * The reply of {@code claim.lua}.
 *
 * @param outcome its published word
 * @param remainingMillis for {@link Outcome#LIVE} the live key's remaining TTL, else 0
 * @param holder for {@link Outcome#BUSY} the worker holding the claim, else {@code null}
 * @param messageCount for {@link Outcome#CLAIMED} the length of the message list, else 0
 * @param meta for {@link Outcome#CLAIMED} the meta values in {@link SessionMeta#FIELDS}
 * order ({@code null} where absent), unjudged: a foreign writer's hash may be broken, and
 * the caller decides what that costs; else empty
 */
public record ClaimReply(Outcome outcome, long remainingMillis, String holder, long messageCount,
		List<String> meta) {

	/** @throws IllegalStateException for anything the script never answers */
	public static ClaimReply parse(Object reply) {
		List<?> values = ScriptReplies.tagged("claim.lua", reply);
		Outcome outcome = ScriptReplies.word("claim.lua", values.get(0), Outcome.class);
		return switch (outcome) {
			case LIVE -> {
				ScriptReplies.size("claim.lua", values, 2);
				yield new ClaimReply(outcome, ScriptReplies.number("claim.lua", values.get(1)), null, 0, List.of());
			}
			case GONE -> {
				ScriptReplies.size("claim.lua", values, 1);
				yield new ClaimReply(outcome, 0, null, 0, List.of());
			}
			case BUSY -> {
				ScriptReplies.size("claim.lua", values, 2);
				yield new ClaimReply(outcome, 0, ScriptReplies.text(values.get(1)), 0, List.of());
			}
			case CLAIMED -> {
				ScriptReplies.size("claim.lua", values, 2 + SessionMeta.FIELDS.size());
				yield new ClaimReply(outcome, 0, null, ScriptReplies.number("claim.lua", values.get(1)),
						ScriptReplies.texts(values.subList(2, values.size())));
			}
		};
	}

	/** The published words of {@code claim.lua}. */
	public enum Outcome {

		/** The instance is live: not claimed. */
		LIVE,

		/** The instance has no data in Redis. */
		GONE,

		/** Another worker holds the claim. */
		BUSY,

		/** Claimed (or the claim of this worker extended). */
		CLAIMED

	}

}
