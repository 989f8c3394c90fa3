package dev.sessionhistory.model;

import java.util.List;

/**
 * The reply of {@code append.lua}.
 *
 * @param outcome what the script did, its published word
 * @param message for {@link Outcome#CREATED} the message as stored, for
 * {@link Outcome#DUPLICATE} the original as stored: the UTF-8 bytes of the list element,
 * untouched; else {@code null}
 */
public record AppendReply(Outcome outcome, byte[] message) {

	/** @throws IllegalStateException for anything the script never answers */
	public static AppendReply parse(Object reply) {
		List<?> values = ScriptReplies.tagged("append.lua", reply);
		Outcome outcome = ScriptReplies.word("append.lua", values.get(0), Outcome.class);
		if (outcome == Outcome.CREATED || outcome == Outcome.DUPLICATE) {
			ScriptReplies.size("append.lua", values, 2);
			byte[] message = ScriptReplies.bytes(values.get(1));
			if (message == null) {
				throw ScriptReplies.unexpected("append.lua", reply);
			}
			return new AppendReply(outcome, message);
		}
		ScriptReplies.size("append.lua", values, 1);
		return new AppendReply(outcome, null);
	}

	/** The published words of {@code append.lua}. */
	public enum Outcome {

		/** Stored as a new message. */
		CREATED,

		/** A retry: the id is known, nothing stored. */
		DUPLICATE,

		/** The instance is not live (ended, or another instance is live). */
		ENDED,

		/** The instance has no data in Redis. */
		UNKNOWN,

		/** The session's message count limit is reached. */
		FULL,

		/** The message would take the session past its byte limit. */
		TOO_LARGE,

		/** The appending user would be a new participant past the session's participant limit. */
		TOO_MANY_PARTICIPANTS,

		/** The caller's right to append was refused ({@link AppendCheck}). */
		FORBIDDEN

	}

}
