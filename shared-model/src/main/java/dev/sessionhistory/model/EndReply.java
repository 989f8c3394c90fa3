package dev.sessionhistory.model;

/** The reply of {@code end.lua}, the published words as the constants' names. */
public enum EndReply {

	/** This call ended the instance and published its end. */
	ENDED,

	/** The instance had already ended. */
	ALREADY,

	/** The instance has no data in Redis. */
	UNKNOWN;

	/** @throws IllegalStateException for anything the script never answers */
	public static EndReply parse(Object reply) {
		return ScriptReplies.word("end.lua", reply, EndReply.class);
	}

}
