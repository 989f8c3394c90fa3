package dev.sessionhistory.model;

/**
 * The reply of {@code revoke.lua}.
 *
 * @param outcome its published word
 * @param tokenEpoch for {@link Outcome#REVOKED} the instance's new token epoch (1 or more),
 * else 0
 */
public record RevokeReply(Outcome outcome, long tokenEpoch) {

	/** @throws IllegalStateException for anything the script never answers */
	public static RevokeReply parse(Object reply) {
		String text = ScriptReplies.text(reply);
		if (Outcome.UNKNOWN.name().equals(text)) {
			return new RevokeReply(Outcome.UNKNOWN, 0);
		}
		if (reply instanceof Long epoch && epoch > 0) {
			return new RevokeReply(Outcome.REVOKED, epoch);
		}
		if (text != null && text.matches("[1-9][0-9]{0,17}")) {
			return new RevokeReply(Outcome.REVOKED, Long.parseLong(text));
		}
		throw ScriptReplies.unexpected("revoke.lua", reply);
	}

	/** What {@code revoke.lua} did. */
	public enum Outcome {

		/** The epoch was raised: every token of an older epoch is revoked. */
		REVOKED,

		/** The instance has no meta in Redis: nothing written. */
		UNKNOWN

	}

}
