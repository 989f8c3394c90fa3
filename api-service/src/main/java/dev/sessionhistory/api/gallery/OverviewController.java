package dev.sessionhistory.api.gallery;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.SessionAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The Session Gallery's overview, for admins only, as the gallery's other endpoints: to
 * everybody else a path that does not exist.
 */
@RestController
@Tag(name = "Session Gallery")
class OverviewController {

	static final String OVERVIEW = "/admin/api/gallery/overview";

	private final ArchiveDays days;

	private final RedisBacklog backlog;

	private final SessionAccess access;

	private final Clock clock;

	OverviewController(ArchiveDays days, RedisBacklog backlog, SessionAccess access, Clock clock) {
		this.days = days;
		this.backlog = backlog;
		this.access = access;
		this.clock = clock;
	}

	@GetMapping(path = OVERVIEW, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "The archives of each of the last 30 days, and the sessions in Redis now",
			description = "days: 30 UTC days, oldest first, today last, each with the sessions archived that day "
					+ "(by archivedAt) and their messages; past days are read again every 10 minutes, today's figures "
					+ "and recentLagSeconds every 5 seconds, the sessions in Redis every second (in the background: "
					+ "served figures are at most 1 hour, 1 minute and 2 seconds old). live and waiting (ended or expired, not archived yet) are "
					+ "counted from the due index, the members near now checked one by one; oldestWaitingSince is "
					+ "the end of the session that has waited longest and archiveLagSeconds its age (0 when none "
					+ "waits); recentLagSeconds is the median of archivedAt - endedAt over the last hour's archives "
					+ "(null without any).")
	Overview overview() throws NoResourceFoundException {
		if (!this.access.open() && !Caller.current().admin()) {
			// the answer of a path that does not exist, for everybody but admins
			throw new NoResourceFoundException(HttpMethod.GET, OVERVIEW, OVERVIEW.substring(1));
		}
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		return Overview.of(now, this.days.days(now), this.backlog.latest(), this.days.recentLagSeconds(now));
	}

}
