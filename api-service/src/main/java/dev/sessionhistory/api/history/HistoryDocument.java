package dev.sessionhistory.api.history;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of a history page, for the API description only: pages are written by
 * {@link HistoryPage} from the stored bytes.
 */
@Schema(name = "History")
record HistoryDocument(@Schema(example = "K7P2QX") String code, UUID sessionId,
		@Schema(allowableValues = { "live", "archive" }) String source,
		@Schema(allowableValues = { "active", "ended" }) String status, long total, boolean hasMore,
		@Schema(description = "Stored messages, ascending seq, exactly as stored") List<Object> messages) {
}
