package dev.sessionhistory.api.gallery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The Session Gallery's overview: what was archived on each of the last 30 days, and what
 * Redis holds now.
 *
 * @param generatedAt when the figures were taken (ISO-8601)
 * @param days the last 30 UTC days, oldest first, today last
 * @param live how many sessions are live in Redis
 * @param waiting how many have ended or expired and wait for their archive
 * @param oldestWaitingSince when the one that has waited longest ended, {@code null} when none waits
 * @param archiveLagSeconds how long ago that was, in seconds; 0 when none waits
 * @param recentLagSeconds the median of {@code archivedAt - endedAt} over the archives of
 * the last hour (at most the latest 10,000), in seconds; {@code null} when there were none
 */
record Overview(String generatedAt, List<Day> days, long live, long waiting, @Nullable String oldestWaitingSince,
		double archiveLagSeconds, @Nullable Double recentLagSeconds) {

	static Overview of(Instant now, List<Day> days, RedisBacklog.Backlog backlog, @Nullable Double recentLagSeconds) {
		Instant oldest = backlog.oldestWaitingSince();
		double lag = (oldest != null) ? Math.max(0, Duration.between(oldest, now).toMillis()) / 1000.0 : 0;
		return new Overview(GallerySessionView.format(now), days, backlog.live(), backlog.waiting(),
				GallerySessionView.format(oldest), lag, recentLagSeconds);
	}

	/**
	 * One UTC day.
	 *
	 * @param day the day, {@code YYYY-MM-DD}
	 * @param sessions how many sessions were archived that day
	 * @param messages how many messages those held together
	 */
	record Day(String day, long sessions, long messages) {
	}

}
