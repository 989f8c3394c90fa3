package dev.sessionhistory.api.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionhistory.api.paging.Page;
import dev.sessionhistory.api.paging.PageQuery;
import dev.sessionhistory.api.system.HistoryProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The audit log of what admins read and export ({@code admin_audit}): a row per admin,
 * action and instance in each {@link #WINDOW} of the clock, written before the answer, so
 * that nothing is served unrecorded: when the row cannot be written the call fails with a
 * {@code 503} ({@link AuditUnavailableException}).
 * <p>
 * Paging through a history asks to record the same read once per page. The table's unique
 * index keeps one row per window whichever replica writes it; each replica also remembers
 * the windows it recorded (Caffeine, {@value #REMEMBERED} at most, forgotten after a
 * window), so that only the first page of a window costs a statement. A replica that
 * forgot, or another replica, merely runs a statement that writes nothing.
 */
@Component
public class AdminAudit {

	/** The span of the clock in which an admin's reads (or exports) of an instance are one row. */
	public static final Duration WINDOW = Duration.ofMinutes(10);

	/** How many recorded windows a replica remembers: some 100 bytes each. */
	static final int REMEMBERED = 10_000;

	private static final Log log = LogFactory.getLog(AdminAudit.class);

	private final AuditTable table;

	private final Clock clock;

	private final Duration retryAfter;

	private final Cache<Recorded, Boolean> recorded = Caffeine.newBuilder()
		.maximumSize(REMEMBERED)
		.expireAfterWrite(WINDOW)
		.build();

	AdminAudit(AuditTable table, Clock clock, HistoryProperties properties) {
		this.table = table;
		this.clock = clock;
		this.retryAfter = properties.retryAfter();
	}

	/**
	 * Records that {@code adminId} did {@code action} with an instance, unless it is recorded
	 * in the current window already.
	 * @param adminId the admin's user id, {@code null} for a caller without one (open mode)
	 * @throws AuditUnavailableException when the row cannot be written: the call must not
	 * be answered
	 */
	public void record(@Nullable String adminId, AuditAction action, String code, UUID sessionId) {
		// PostgreSQL keeps microseconds: the row's time is the one its cursor names
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		Instant window = Instant.ofEpochSecond(now.getEpochSecond() - Math.floorMod(now.getEpochSecond(),
				WINDOW.toSeconds()));
		Recorded key = new Recorded(adminId, action, sessionId, window);
		if (this.recorded.getIfPresent(key) != null) {
			return;
		}
		try {
			this.table.insert(now, window, adminId, action, code, sessionId);
		}
		catch (DataAccessException ex) {
			log.warn("Could not write the audit log; refusing the " + action.wire() + " of " + code + " "
					+ sessionId + ": " + ex.getMessage());
			throw new AuditUnavailableException(this.retryAfter, ex);
		}
		this.recorded.put(key, Boolean.TRUE);
	}

	/**
	 * A page of the log, newest first.
	 * @param adminId only this admin's rows, or {@code null} for everybody's
	 * @param code only this code's rows, or {@code null} for every code's
	 */
	public Page<AuditEntry> list(@Nullable String adminId, @Nullable String code, PageQuery query) {
		return query.page(this.table.list(adminId, code, query.after(), query.fetchSize()), AuditEntry::position);
	}

	/** A window recorded by this replica. */
	private record Recorded(@Nullable String adminId, AuditAction action, UUID sessionId, Instant window) {
	}

}
