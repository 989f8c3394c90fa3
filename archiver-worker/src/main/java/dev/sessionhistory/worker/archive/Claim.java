package dev.sessionhistory.worker.archive;

import java.util.List;

import dev.sessionhistory.model.ClaimReply;
import dev.sessionhistory.model.Pipeline;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;

/**
 * The answer of the claim script for one instance. The messages are not part of it: they
 * are read afterwards in bounded windows.
 *
 * @param ref the instance
 * @param status what the script answered
 * @param remainingMillis for {@code LIVE}: the live key's remaining TTL
 * @param messageCount for {@code CLAIMED}: the length of the message list
 * @param meta for {@code CLAIMED}: the meta values in {@link SessionMeta#FIELDS} order
 * @param detail for {@code BUSY} the holder, for {@code ERROR} the error
 */
record Claim(SessionRef ref, Status status, long remainingMillis, long messageCount, List<String> meta,
		String detail) {

	/**
	 * The claim script's answers ({@link ClaimReply.Outcome}), plus {@code ERROR} for an
	 * error reply (data of the wrong type) or a reply the script never gives.
	 */
	enum Status {

		LIVE, GONE, BUSY, CLAIMED, ERROR

	}

	/** Reads one reply of the claim script, as returned by {@link Pipeline}. */
	static Claim of(SessionRef ref, Object reply) {
		if (reply instanceof Throwable ex) {
			return error(ref, Pipeline.rootMessage(ex));
		}
		ClaimReply claim;
		try {
			claim = ClaimReply.parse(reply);
		}
		catch (IllegalStateException ex) {
			// one instance's odd reply must not fail the batch
			return error(ref, ex.getMessage());
		}
		return switch (claim.outcome()) {
			case LIVE -> new Claim(ref, Status.LIVE, claim.remainingMillis(), 0, List.of(), null);
			case BUSY -> new Claim(ref, Status.BUSY, 0, 0, List.of(), claim.holder());
			case GONE -> new Claim(ref, Status.GONE, 0, 0, List.of(), null);
			case CLAIMED -> new Claim(ref, Status.CLAIMED, 0, claim.messageCount(), claim.meta(), null);
		};
	}

	private static Claim error(SessionRef ref, String detail) {
		return new Claim(ref, Status.ERROR, 0, 0, List.of(), detail);
	}

	/**
	 * The message bytes the claim stands for: the counter of layout 2, else an estimate
	 * from the count, so a batch can be bounded before any message is read.
	 */
	static long estimatedBytes(SessionMeta meta, long messageCount) {
		return Math.max(meta.bytes(), messageCount * 1024);
	}

}
