package dev.sessionhistory.api.gallery;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionhistory.api.archive.ArchiveActivity;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The overview's figures of the archive ({@link ArchiveActivity}): the archives of each of
 * the last {@value #DAYS} UTC days, and the median lag of the last hour's.
 * <p>
 * A past day changes only when an archive of it is erased (or, in the first moments after
 * midnight, when a transaction that began the day before commits), so the past days are
 * kept for {@link #PAST_KEPT} and read again once a day begins; today's figures and the lag
 * change with every archive and are kept for {@link #RECENT_KEPT}, so that an overview
 * polled by many admins costs PostgreSQL one small range of today's archives every few
 * seconds. A miss is loaded outside the caches' locks (two threads may load the same
 * figures; either copy is right), as {@code ArchiveCache} does.
 */
@Component
class ArchiveDays {

	/** How many days the overview counts, today included. */
	static final int DAYS = 30;

	/** How long the figures of the past days are kept. */
	static final Duration PAST_KEPT = Duration.ofMinutes(10);

	/** How long today's figures and the lag are kept. */
	static final Duration RECENT_KEPT = Duration.ofSeconds(5);

	/** The archives whose lag is the recent lag: those written in the last hour. */
	static final Duration LAG_WINDOW = Duration.ofHours(1);

	private final ArchiveActivity activity;

	/** The past {@code DAYS - 1} days, by the day they precede. */
	private final Cache<LocalDate, List<ArchiveActivity.Day>> past = Caffeine.newBuilder()
		.expireAfterWrite(PAST_KEPT)
		.maximumSize(2)
		.build();

	/** Today's archives and the recent lag, by today. */
	private final Cache<LocalDate, Recent> recent = Caffeine.newBuilder()
		.expireAfterWrite(RECENT_KEPT)
		.maximumSize(2)
		.build();

	ArchiveDays(ArchiveActivity activity) {
		this.activity = activity;
	}

	/** The last {@value #DAYS} UTC days at {@code now}, oldest first, today last, each day present. */
	List<Overview.Day> days(Instant now) {
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		List<ArchiveActivity.Day> found = new ArrayList<>(past(today));
		found.addAll(recent(now, today).today());
		return fill(today.minusDays(DAYS - 1), today, found);
	}

	/** The median lag in seconds (to the millisecond) of the last hour's archives, {@code null} without any. */
	@Nullable Double recentLagSeconds(Instant now) {
		Double median = recent(now, LocalDate.ofInstant(now, ZoneOffset.UTC)).lagSeconds();
		return (median != null) ? Math.round(median * 1000) / 1000.0 : null;
	}

	/** Every day from {@code first} to {@code last}, those not {@code found} with nothing. */
	static List<Overview.Day> fill(LocalDate first, LocalDate last, List<ArchiveActivity.Day> found) {
		Map<LocalDate, ArchiveActivity.Day> byDay = new HashMap<>();
		found.forEach((day) -> byDay.put(day.day(), day));
		List<Overview.Day> days = new ArrayList<>();
		for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
			ArchiveActivity.Day archived = byDay.get(day);
			days.add((archived != null) ? new Overview.Day(day.toString(), archived.sessions(), archived.messages())
					: new Overview.Day(day.toString(), 0, 0));
		}
		return days;
	}

	private List<ArchiveActivity.Day> past(LocalDate today) {
		List<ArchiveActivity.Day> days = this.past.getIfPresent(today);
		if (days == null) {
			days = this.activity.days(start(today.minusDays(DAYS - 1)), start(today));
			this.past.put(today, days);
		}
		return days;
	}

	private Recent recent(Instant now, LocalDate today) {
		Recent recent = this.recent.getIfPresent(today);
		if (recent == null) {
			recent = new Recent(this.activity.days(start(today), start(today.plusDays(1))),
					this.activity.medianLagSeconds(now.minus(LAG_WINDOW)));
			this.recent.put(today, recent);
		}
		return recent;
	}

	private static Instant start(LocalDate day) {
		return day.atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	/**
	 * @param today today's archives (none or one day)
	 * @param lagSeconds the median lag of the last hour's archives, or {@code null}
	 */
	private record Recent(List<ArchiveActivity.Day> today, @Nullable Double lagSeconds) {
	}

}
