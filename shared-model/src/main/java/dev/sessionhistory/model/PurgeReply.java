package dev.sessionhistory.model;

/** The reply of {@code purge.lua}: {@code 1} or {@code 0}. */
public enum PurgeReply {

	/** The instance's data was deleted ({@code 1}). */
	PURGED,

	/** The live key holds the instance, so nothing was deleted ({@code 0}). */
	LIVE;

	/** @throws IllegalStateException for anything the script never answers */
	public static PurgeReply parse(Object reply) {
		if (reply instanceof Long number && (number == 0 || number == 1)) {
			return (number == 1) ? PURGED : LIVE;
		}
		throw ScriptReplies.unexpected("purge.lua", reply);
	}

}
