package dev.sessionhistory.worker.archive;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.sessionhistory.model.Participant;

/**
 * The users of rows being archived whose data a user's erasure erased (the erasure log's
 * {@code user} rows, read under the barrier): an instance such a user owned is erased, not
 * archived; in one they took part in, their messages become tombstones and they are no
 * longer a participant. Only erasures at or after an instance's creation count: a user id
 * erased long ago may be someone's again.
 *
 * @param erasedAt the latest erasure of each such user, epoch milliseconds
 */
record ErasedUsers(Map<String, Long> erasedAt) {

	/** Whether the row's owner was erased since the instance was created. */
	boolean ownerErased(ArchiveRow row) {
		return row.meta().owner().map((owner) -> erasedSince(owner, row)).orElse(false);
	}

	/** The row without the erased participants and with their messages as tombstones. */
	ArchiveRow redact(ArchiveRow row) {
		Set<String> erased = erasedParticipants(row);
		if (erased.isEmpty()) {
			return row;
		}
		List<Participant> kept = row.participants()
			.stream()
			.filter((participant) -> !erased.contains(participant.userId()))
			.toList();
		return row.withParticipants(kept)
			.with(row.chunks().stream().map((chunk) -> chunk.erasing(erased)).toList(), false);
	}

	/** The participants of the row whose messages must not be archived. */
	Set<String> erasedParticipants(ArchiveRow row) {
		Set<String> erased = new LinkedHashSet<>();
		if (this.erasedAt.isEmpty()) {
			return erased;
		}
		for (Participant participant : row.participants()) {
			if (erasedSince(participant.userId(), row)) {
				erased.add(participant.userId());
			}
		}
		return erased;
	}

	private boolean erasedSince(String userId, ArchiveRow row) {
		Long at = this.erasedAt.get(userId);
		return at != null && at >= row.meta().createdAt().toEpochMilli();
	}

}
