package dev.sessionhistory.model;

/** The reply of {@code create.lua}, the published words as the constants' names. */
public enum CreateReply {

	/** The instance was created. */
	OK,

	/** The code has a live session: nothing was written. */
	LIVE,

	/** An ended instance of the code still waits for its archive: nothing was written. */
	PENDING;

	/** @throws IllegalStateException for anything the script never answers */
	public static CreateReply parse(Object reply) {
		return ScriptReplies.word("create.lua", reply, CreateReply.class);
	}

}
