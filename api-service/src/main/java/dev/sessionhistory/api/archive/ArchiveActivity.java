package dev.sessionhistory.api.archive;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What the archiving has done lately, for the Session Gallery's overview: the archives of
 * each UTC day by {@code archived_at}, and how long the latest ones waited after their end.
 * Apart from {@link ArchiveTable} as {@link ArchiveSearch} is, because both statements
 * aggregate many rows: they rest on the index of migration 6,
 * {@code (archived_at) INCLUDE (message_count, ended_at)}, which holds every column they
 * read, so PostgreSQL walks one range of it and never a row of the table (once the
 * visibility map covers the rows, which autovacuum sees to).
 */
@Repository
public class ArchiveActivity {

	/** The most archives the lag is taken over: the latest ones of the window. */
	public static final int LAG_SAMPLE = 10_000;

	/**
	 * Each UTC day from the first to the last (inclusive): the archives written and their
	 * messages. One range of the index a day, each summed on its own, so nothing is sorted.
	 */
	static final String DAYS = """
			SELECT d.day::date AS day, s.sessions, s.messages
			FROM generate_series(CAST(? AS timestamp), CAST(? AS timestamp), interval '1 day') AS d(day)
			CROSS JOIN LATERAL (
			    SELECT count(*) AS sessions, coalesce(sum(message_count), 0) AS messages
			    FROM session_history
			    WHERE archived_at >= d.day AT TIME ZONE 'UTC' AND archived_at < (d.day + interval '1 day') AT TIME ZONE 'UTC'
			) s
			ORDER BY d.day
			""";

	/** The median of {@code archived_at - ended_at}, in seconds, of the latest archives since a time. */
	static final String MEDIAN_LAG = """
			SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM archived_at - ended_at)::float8)
			FROM (SELECT archived_at, ended_at FROM session_history
			      WHERE archived_at >= ?
			      ORDER BY archived_at DESC
			      LIMIT ?) recent
			""";

	private final JdbcClient jdbc;

	ArchiveActivity(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The archives of each UTC day from {@code first} to {@code last}, oldest first, every day present. */
	public List<Day> days(LocalDate first, LocalDate last) {
		return this.jdbc.sql(DAYS)
			.param(first)
			.param(last)
			.query((rs, row) -> new Day(rs.getObject("day", LocalDate.class), rs.getLong("sessions"),
					rs.getLong("messages")))
			.list();
	}

	/**
	 * The median time from end to archive of the archives written since {@code since} (at
	 * most the latest {@value #LAG_SAMPLE}), in seconds; {@code null} when there are none.
	 */
	public @Nullable Double medianLagSeconds(Instant since) {
		// one row, whose value is NULL when no archive was written since
		List<Double> median = this.jdbc.sql(MEDIAN_LAG)
			.param(since.atOffset(ZoneOffset.UTC))
			.param(LAG_SAMPLE)
			.query((rs, row) -> rs.getObject(1, Double.class))
			.list();
		return median.isEmpty() ? null : median.get(0);
	}

	/**
	 * The archives of one UTC day.
	 *
	 * @param day the day
	 * @param sessions how many archives were written that day
	 * @param messages their messages together
	 */
	public record Day(LocalDate day, long sessions, long messages) {
	}

}
