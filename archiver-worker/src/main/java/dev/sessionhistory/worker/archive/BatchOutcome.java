package dev.sessionhistory.worker.archive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sessionhistory.model.RedisKeys.SessionRef;

/**
 * What a batch leaves to do in Redis, applied in one round trip by
 * {@link RedisInstances#settle}.
 */
final class BatchOutcome {

	/** Archived: purge and leave the due index. */
	final List<SessionRef> archived = new ArrayList<>();

	/** Not archived now: the due score of the next attempt. */
	final Map<SessionRef, Long> retryAt = new LinkedHashMap<>();

	/** Without data in Redis: forget. */
	final List<SessionRef> gone = new ArrayList<>();

	/** Claims to give back, so another replica may retry at once. */
	final List<SessionRef> release = new ArrayList<>();

}
