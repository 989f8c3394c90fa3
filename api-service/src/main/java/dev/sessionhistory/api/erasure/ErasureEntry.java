package dev.sessionhistory.api.erasure;

import java.time.Instant;
import java.util.UUID;

import dev.sessionhistory.api.paging.Cursor;
import org.jspecify.annotations.Nullable;

/**
 * One row of the erasure log: who erased what, when, and why if given; nothing of what was
 * erased.
 *
 * @param id its row id, which orders rows of the same time
 * @param at when it was erased
 * @param erasedBy the owner or admin who erased, {@code null} for a caller without a user
 * (open mode)
 * @param scope {@code session} (one instance), {@code messages} (a user's messages in an
 * instance) or {@code user} (a user's erasure itself)
 * @param code the session's code, {@code null} for scope {@code user}
 * @param sessionId the instance, {@code null} for scope {@code user}
 * @param ownerId the instance's owner, {@code null} for none
 * @param userId the user whose data went (scopes {@code messages} and {@code user})
 * @param found where the instance was: {@code live}, {@code ended} or {@code archived}
 * @param reason why, {@code null} for none given
 */
public record ErasureEntry(long id, Instant at, @Nullable String erasedBy, String scope, @Nullable String code,
		@Nullable UUID sessionId, @Nullable String ownerId, @Nullable String userId, @Nullable String found,
		@Nullable String reason) {

	/** Where it lies in the log, newest first. */
	public Cursor position() {
		return new Cursor(this.at, this.id);
	}

}
