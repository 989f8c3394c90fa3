package dev.sessionhistory.api.gallery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.sessionhistory.api.archive.ArchiveActivity;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The overview's figures of the archive ({@link ArchiveActivity}): the archives of each of
 * the last {@value #DAYS} UTC days, and the median lag of the last hour's.
 * <p>
 * A past day changes only when an archive of it is erased (or, in the first moments after
 * midnight, when a transaction that began the day before commits), and reading all of them
 * walks some 30 days of the index, so they are read again every {@link #PAST_REFRESHED};
 * today's figures and the lag change with every archive and cost one day of the index, so
 * they are read again every {@link #RECENT_REFRESHED}. Either is read again in the
 * background, on the first request past that age, which gets the figures at hand; a
 * request waits for a read only at start-up, when a day begins, and after a spell without
 * requests ({@link #PAST_KEPT} and {@link #RECENT_KEPT} are the oldest figures served).
 * An overview polled by many admins thus costs PostgreSQL one day of the index every few
 * seconds, not one per request, and its requests do not wait for it.
 */
@Component
class ArchiveDays {

	/** How many days the overview counts, today included. */
	static final int DAYS = 30;

	/** How often the past days are read again. */
	static final Duration PAST_REFRESHED = Duration.ofMinutes(10);

	/** The oldest figures of the past days served. */
	static final Duration PAST_KEPT = Duration.ofHours(1);

	/** How often today's figures and the lag are read again. */
	static final Duration RECENT_REFRESHED = Duration.ofSeconds(5);

	/** The oldest figures of today and lag served. */
	static final Duration RECENT_KEPT = Duration.ofMinutes(1);

	/** The archives whose lag is the recent lag: those written in the last hour. */
	static final Duration LAG_WINDOW = Duration.ofHours(1);

	/** The past {@code DAYS - 1} days, by the day they precede. */
	private final LoadingCache<LocalDate, List<ArchiveActivity.Day>> past;

	/** Today's archives and the recent lag, by today. */
	private final LoadingCache<LocalDate, Recent> recent;

	ArchiveDays(ArchiveActivity activity, Clock clock) {
		this.past = Caffeine.newBuilder()
			.refreshAfterWrite(PAST_REFRESHED)
			.expireAfterWrite(PAST_KEPT)
			.maximumSize(2)
			.build((today) -> activity.days(today.minusDays(DAYS - 1), today.minusDays(1)));
		this.recent = Caffeine.newBuilder()
			.refreshAfterWrite(RECENT_REFRESHED)
			.expireAfterWrite(RECENT_KEPT)
			.maximumSize(2)
			.build((today) -> new Recent(activity.days(today, today).get(0),
					activity.medianLagSeconds(clock.instant().minus(LAG_WINDOW))));
	}

	/** The last {@value #DAYS} UTC days at {@code now}, oldest first, today last. */
	List<Overview.Day> days(Instant now) {
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		List<Overview.Day> days = new ArrayList<>(DAYS);
		this.past.get(today).forEach((day) -> days.add(view(day)));
		days.add(view(this.recent.get(today).today()));
		return days;
	}

	/** The median lag in seconds (to the millisecond) of the last hour's archives, {@code null} without any. */
	@Nullable Double recentLagSeconds(Instant now) {
		Double median = this.recent.get(LocalDate.ofInstant(now, ZoneOffset.UTC)).lagSeconds();
		return (median != null) ? Math.round(median * 1000) / 1000.0 : null;
	}

	private static Overview.Day view(ArchiveActivity.Day day) {
		return new Overview.Day(day.day().toString(), day.sessions(), day.messages());
	}

	/**
	 * @param today today's archives
	 * @param lagSeconds the median lag of the last hour's archives, or {@code null}
	 */
	private record Recent(ArchiveActivity.Day today, @Nullable Double lagSeconds) {
	}

}
