package dev.sessionhistory.api.erasure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionhistory.api.archive.ArchiveCache;
import dev.sessionhistory.api.archive.ArchiveTable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps this replica's archive cache from serving what another replica erased or the
 * worker's retention deleted: every second it reads the instances the erasure log names
 * since its last look and evicts them, and how far retention has deleted
 * ({@link ArchiveCache#retainFrom}).
 * The erasure log is the one record every replica shares, so nothing depends on a message
 * that could be missed. Each look reaches back {@value #OVERLAP_SECONDS} s before the last
 * one, past the longest an erasure's transaction may take between writing its row and
 * committing it (its lock wait is bounded at 10 s). A look that fails empties the whole
 * cache, as erasures may have been missed; the next one that succeeds starts over.
 */
@Component
class ErasureFeed {

	private static final Log logger = LogFactory.getLog(ErasureFeed.class);

	static final long OVERLAP_SECONDS = 60;

	private final ErasureLog log;

	private final ArchiveCache cache;

	private final ArchiveTable archives;

	private final Clock clock;

	/** The log rows (as of their time) the last looks evicted already, so each is evicted once. */
	private final Cache<ErasureLog.Logged, Boolean> seen = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofSeconds(3 * OVERLAP_SECONDS))
		.build();

	private Instant since;

	private boolean failing;

	ErasureFeed(ErasureLog log, ArchiveCache cache, ArchiveTable archives, Clock clock) {
		this.log = log;
		this.cache = cache;
		this.archives = archives;
		this.clock = clock;
		this.since = clock.instant();
	}

	@Scheduled(fixedDelayString = "${history.erasure.poll-interval:1s}")
	void poll() {
		Instant started = this.clock.instant();
		List<ErasureLog.Logged> erased;
		try {
			erased = this.log.erasedSince(this.since.minusSeconds(OVERLAP_SECONDS));
			this.archives.retentionBound().ifPresent(this.cache::retainFrom);
		}
		catch (DataAccessException ex) {
			if (!this.failing) {
				logger.warn("Cannot read the erasure log (" + ex.getMessage()
						+ "); the archive cache is emptied at every failed look until it can");
				this.failing = true;
			}
			this.cache.evictAll();
			return;
		}
		if (this.failing) {
			logger.info("The erasure log answers again; the archive cache is in use again");
			this.failing = false;
		}
		List<ErasureLog.Logged> fresh = erased.stream().filter((row) -> this.seen.getIfPresent(row) == null).toList();
		fresh.forEach((row) -> this.seen.put(row, Boolean.TRUE));
		this.cache.evict(fresh.stream().map(ErasureLog.Logged::sessionId).toList());
		this.since = started;
	}

}
