package dev.sessionhistory.api.message;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of a stored message, for the API description only: stored messages are
 * served as the text Redis or PostgreSQL holds, never through this type.
 */
@Schema(name = "Message")
record StoredMessage(@Schema(example = "1") long seq, @Schema(example = "m-42") String id,
		@Schema(example = "2026-11-24T10:00:00.000Z") String sentAt, String sender, String type,
		@Schema(implementation = Object.class, description = "Any JSON value") Object data) {
}
