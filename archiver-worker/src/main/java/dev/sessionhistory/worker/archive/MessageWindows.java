package dev.sessionhistory.worker.archive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.worker.archive.RedisInstances.Window;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Reads claimed sessions' messages in the slice script's bounded windows: small sessions
 * a window of each per round trip until complete, a large one window by window while it
 * is written. A window that cannot be read fails only its own session.
 */
@Component
class MessageWindows {

	private static final Log logger = LogFactory.getLog(MessageWindows.class);

	private final RedisInstances redis;

	private final Isolation isolation;

	private final ArchiveMetrics metrics;

	private final Backoff redisBackoff;

	MessageWindows(RedisInstances redis, Isolation isolation, ArchiveMetrics metrics, Backoffs backoffs) {
		this.redis = redis;
		this.isolation = isolation;
		this.metrics = metrics;
		this.redisBackoff = backoffs.redis();
	}

	/**
	 * Reads the messages of small sessions, a window of each per round trip, until each is
	 * complete. A window that cannot be read fails only its own session.
	 */
	List<ArchiveRow> readWhole(List<ArchiveRow> rows, long now, BatchOutcome outcome) {
		List<ArchiveRow> complete = new ArrayList<>();
		Map<SessionRef, ArchiveRow> reading = new LinkedHashMap<>();
		for (ArchiveRow row : rows) {
			if (row.complete()) {
				complete.add(row);
			}
			else {
				reading.put(row.ref(), row);
			}
		}
		while (!reading.isEmpty()) {
			Map<SessionRef, Long> next = new LinkedHashMap<>();
			reading.forEach((ref, row) -> next.put(ref, row.nextSeq()));
			List<Window> windows;
			try {
				windows = this.redis.windows(next);
			}
			catch (DataAccessException ex) {
				long retryAt = this.redisBackoff.failed(now);
				logger.warn("Could not read the messages of " + reading.size() + " sessions, Redis failed ("
						+ ex.getMessage() + "); the sweep retries them in " + (retryAt - now) + " ms");
				this.metrics.failure("redis", reading.size());
				reading.keySet().forEach((ref) -> {
					outcome.retryAt.put(ref, retryAt);
					outcome.release.add(ref);
				});
				break;
			}
			for (Window window : windows) {
				SessionRef ref = window.ref();
				ArchiveRow row = reading.remove(ref);
				if (window.problem() != null) {
					this.isolation.failed(ref, "a window of its messages could not be read: " + window.problem(), "redis", now,
							outcome);
				}
				else if (window.entries().isEmpty()) {
					complete.add(row); // the list is shorter than claimed: archive what it holds
				}
				else {
					ArchiveRow more = row.with(ArchiveChunk.of(window.firstSeq(), window.entries()));
					if (more.complete()) {
						complete.add(more);
					}
					else {
						reading.put(ref, more);
					}
				}
			}
		}
		return complete;
	}

	/** The windows of one large session, for {@link ArchiveWriter#insertStreamed}. */
	ArchiveWriter.ChunkSource source(SessionRef ref) {
		return (firstSeq) -> {
			Window window;
			try {
				window = this.redis.windows(Map.of(ref, firstSeq)).get(0);
			}
			catch (DataAccessException ex) {
				throw new WindowFailedException("Redis failed: " + ex.getMessage());
			}
			if (window.problem() != null) {
				throw new WindowFailedException(window.problem());
			}
			return window.entries().isEmpty() ? null : ArchiveChunk.of(firstSeq, window.entries());
		};
	}

	/** A window of a large session could not be read: its transaction rolls back. */
	static final class WindowFailedException extends RuntimeException {

		WindowFailedException(String message) {
			super(message);
		}

	}

}
