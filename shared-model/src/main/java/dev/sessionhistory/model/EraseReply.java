package dev.sessionhistory.model;

/** The reply of {@code erase.lua}: what it found of the instance in Redis. */
public enum EraseReply {

	/** The instance was live: it ended and its data was deleted. */
	LIVE,

	/** The instance had ended, waiting for its archive: its data was deleted. */
	ENDED,

	/** Nothing of the instance was in Redis. */
	NONE;

	/** @throws IllegalStateException for anything the script never answers */
	public static EraseReply parse(Object reply) {
		return ScriptReplies.word("erase.lua", reply, EraseReply.class);
	}

}
