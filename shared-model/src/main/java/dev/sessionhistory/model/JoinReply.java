package dev.sessionhistory.model;

/** The reply of {@code join.lua}, the published words as the constants' names. */
public enum JoinReply {

	/**
	 * The user is a participant with at least the rights given (the union of those held and
	 * those given), or is the owner, who holds every right.
	 */
	OK,

	/** The instance is not live (ended, or another instance is live): nothing written. */
	ENDED,

	/** The instance has no data in Redis: nothing written. */
	UNKNOWN,

	/** A new participant would pass the session's participant limit: nothing written. */
	FULL;

	/** @throws IllegalStateException for anything the script never answers */
	public static JoinReply parse(Object reply) {
		return ScriptReplies.word("join.lua", reply, JoinReply.class);
	}

}
