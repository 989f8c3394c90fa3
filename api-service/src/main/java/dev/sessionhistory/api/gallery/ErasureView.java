package dev.sessionhistory.api.gallery;

import java.util.UUID;

import dev.sessionhistory.api.erasure.ErasureEntry;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One row of the erasure log as {@code GET /admin/api/erasures} lists it: who erased what,
 * when and why, never anything of what was erased.
 *
 * @param id the row's id
 * @param at when (ISO-8601)
 * @param erasedBy the owner or admin who erased, {@code null} for a caller without a user
 * (open mode)
 * @param scope {@code session} (one instance wherever it was), {@code messages} (a user's
 * messages in an instance they only joined) or {@code user} (a user's erasure itself)
 * @param code the session's code ({@code null} for scope {@code user})
 * @param sessionId the instance ({@code null} for scope {@code user})
 * @param ownerId the instance's owner, {@code null} for none
 * @param userId the user whose data went (scopes {@code messages} and {@code user})
 * @param found where the instance was: {@code live}, {@code ended} (waiting for its archive)
 * or {@code archived}
 * @param reason why, as given, {@code null} for none
 */
record ErasureView(long id, String at, @Nullable String erasedBy,
		@Schema(allowableValues = { "session", "messages", "user" }) String scope, @Nullable String code,
		@Nullable UUID sessionId, @Nullable String ownerId, @Nullable String userId,
		@Schema(allowableValues = { "live", "ended", "archived" }) @Nullable String found, @Nullable String reason) {

	static ErasureView of(ErasureEntry entry) {
		return new ErasureView(entry.id(), GallerySessionView.format(entry.at()), entry.erasedBy(), entry.scope(),
				entry.code(), entry.sessionId(), entry.ownerId(), entry.userId(), entry.found(), entry.reason());
	}

}
