package dev.sessionhistory.api.gallery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.sessionhistory.api.live.DueBoundary;
import dev.sessionhistory.api.live.DueBoundary.Member;
import dev.sessionhistory.api.live.DueBoundary.Split;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * How many sessions are live in Redis and how many wait for their archive, from the due
 * index (its buckets together), which holds every instance in Redis scored by when the worker
 * should look at it.
 * <p>
 * By its score alone a member due later is live and one due by now waits, which is true of
 * most: a create scores its instance at its expiry, an end moves the score to the end
 * ({@code ZADD LT}), so an ended or expired instance is due no later than its end. Two kinds
 * are misfiled, and both gather next to the boundary: a live instance whose appends moved
 * its expiry past its score is due until the worker's next sweep (every 2 s) re-scores it
 * to its expiry; an ended one that the worker could not archive yet (PostgreSQL away, a
 * claim held elsewhere, data it cannot read) is scored at its next attempt, at most
 * {@code history.archive.backoff-max} (30 s) or {@code invalid-retry} (10 min) ahead. So
 * the first {@value #EXAMINED} members of each side are checked (their meta's status, end
 * and expiry, one round trip) and counted as what they are, those whose instance is gone
 * not at all; the rest are counted by their score. The figures are exact while neither
 * side has more than that many members, and otherwise off by the misfiled members further
 * from the boundary.
 * <p>
 * A look costs two round trips and an {@code HMGET} per examined member, each a hand-off to
 * the connection's event loop (some 20 ms at 10,000 live sessions on two busy cores), so
 * the figures are taken again in the background every {@link #REFRESHED} while the
 * overview is polled, and a request waits for a look only when the last one is older than
 * {@link #KEPT}: however many admins poll, Redis sees one look a second.
 * <p>
 * The oldest wait is the earliest end among the waiting instances examined. An instance
 * not examined on the due side ends no earlier than its score, which is no earlier than
 * the last examined one's, so the earliest end found there is exact whenever it is no
 * later than that score.
 */
@Component
class RedisBacklog {

	/** How many members of each side of the boundary are checked. */
	static final int EXAMINED = 256;

	/** How often the figures are taken again while they are asked for. */
	static final Duration REFRESHED = Duration.ofSeconds(1);

	/** The oldest figures served. */
	static final Duration KEPT = Duration.ofSeconds(2);

	private final DueBoundary boundary;

	/** The latest figures, under the one key {@code true}. */
	private final LoadingCache<Boolean, Backlog> latest;

	RedisBacklog(DueBoundary boundary, Clock clock) {
		this.boundary = boundary;
		this.latest = Caffeine.newBuilder()
			.refreshAfterWrite(REFRESHED)
			.expireAfterWrite(KEPT)
			.maximumSize(1)
			.build((key) -> at(clock.instant()));
	}

	/** The figures at most {@link #KEPT} old, as a second or so ago while the overview is polled. */
	Backlog latest() {
		return this.latest.get(Boolean.TRUE);
	}

	/** The figures at {@code now}, read from Redis. */
	Backlog at(Instant now) {
		Split split = this.boundary.split(now, EXAMINED);
		Tally due = new Tally(split.dueFirst());
		Tally later = new Tally(split.laterFirst());
		// each examined member counts as what it is, not where its score files it
		long live = split.later() - later.ended - later.gone + due.live;
		long waiting = split.due() - due.live - due.gone + later.ended;
		Instant oldest = (due.oldest == null || (later.oldest != null && later.oldest.isBefore(due.oldest)))
				? later.oldest : due.oldest;
		return new Backlog(Math.max(live, 0), Math.max(waiting, 0), oldest);
	}

	/** What the examined members of one side are, and the earliest end of the ended ones. */
	private static final class Tally {

		private long live;

		private long ended;

		private long gone;

		private @Nullable Instant oldest;

		Tally(List<Member> members) {
			for (Member member : members) {
				switch (member.state()) {
					case LIVE -> this.live++;
					case GONE -> this.gone++;
					case ENDED -> {
						this.ended++;
						if (this.oldest == null || member.endedAt().isBefore(this.oldest)) {
							this.oldest = member.endedAt();
						}
					}
				}
			}
		}

	}

	/**
	 * The sessions in Redis.
	 *
	 * @param live how many are live
	 * @param waiting how many have ended (or expired) and wait for their archive
	 * @param oldestWaitingSince the earliest end among those that wait, {@code null} when none does
	 */
	record Backlog(long live, long waiting, @Nullable Instant oldestWaitingSince) {
	}

}
