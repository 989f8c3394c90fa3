package dev.sessionhistory.api.erasure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sessionhistory.api.archive.ArchiveCache;
import dev.sessionhistory.api.archive.ArchiveErasures;
import dev.sessionhistory.api.archive.ArchiveUsers;
import dev.sessionhistory.api.archive.ArchiveUsers.UserArchive;
import dev.sessionhistory.api.history.HistoryPage;
import dev.sessionhistory.api.history.HistoryQuery;
import dev.sessionhistory.api.history.HistoryReader;
import dev.sessionhistory.api.live.IndexPages;
import dev.sessionhistory.api.live.LiveInstances;
import dev.sessionhistory.api.live.LiveSessions;
import dev.sessionhistory.api.live.SessionNotFoundException;
import dev.sessionhistory.api.live.UserSessionIndex;
import dev.sessionhistory.api.paging.Cursor;
import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.Tombstones;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erases a user: every instance the user owns is erased ({@link Erasures}); in those the
 * user only took part in, the user's messages become tombstones at their seqs and the user
 * is no longer a participant, live and archived alike. In this order, so that nothing comes
 * back:
 * <ol>
 * <li>the user's erasure is logged and committed: from then on the worker erases the
 * user's data from every archive it writes;</li>
 * <li>the barrier is taken once, waiting for archive inserts that began before the log row
 * (they may not have seen it);</li>
 * <li>the instances in Redis (the user's index), then the archives (the user's rows of
 * {@code session_participant}), each under its own lock, so a long erasure never holds up
 * the archive wave for more than one instance at a time.</li>
 * </ol>
 * A failure part way leaves what is done done; the erasure repeats harmlessly. The user's
 * instances are read whole before the work starts: a user with very many sessions costs
 * memory in proportion (about a hundred bytes each).
 */
@Service
public class UserErasures {

	private static final Log logger = LogFactory.getLog(UserErasures.class);

	private static final int PAGE = 200;

	private final UserSessionIndex index;

	private final ArchiveUsers archiveUsers;

	private final ArchiveErasures archiveErasures;

	private final ArchiveCache cache;

	private final HistoryReader history;

	private final LiveSessions live;

	private final Erasures erasures;

	private final ErasureLog log;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final TransactionTemplate transactions;

	UserErasures(UserSessionIndex index, ArchiveUsers archiveUsers, ArchiveErasures archiveErasures,
			ArchiveCache cache, HistoryReader history, LiveSessions live, Erasures erasures, ErasureLog log,
			StringRedisTemplate redis, RedisKeys keys, PlatformTransactionManager transactionManager) {
		this.index = index;
		this.archiveUsers = archiveUsers;
		this.archiveErasures = archiveErasures;
		this.cache = cache;
		this.history = history;
		this.live = live;
		this.erasures = erasures;
		this.log = log;
		this.redis = redis;
		this.keys = keys;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/**
	 * One instance of a user's.
	 *
	 * @param code its code
	 * @param sessionId the instance
	 * @param owned whether the user owns it (else takes part in it)
	 * @param where {@code live}, {@code ended} (waiting for its archive) or {@code archived}
	 * @param owner its owner, {@code null} for none
	 */
	public record UserInstance(String code, UUID sessionId, boolean owned, String where, @Nullable String owner) {
	}

	/**
	 * What a user's erasure did.
	 *
	 * @param userId the user
	 * @param sessions instances erased, which the user owned
	 * @param participations instances the user took part in, now without the user
	 * @param messages the user's messages erased from those
	 */
	public record Result(String userId, int sessions, int participations, long messages) {
	}

	/** Erases everything of {@code userId}; see the class comment for the order. */
	public Result erase(String userId, @Nullable String reason) {
		String admin = Caller.current().userId();
		this.log.user(admin, userId, reason);
		this.transactions.executeWithoutResult((status) -> this.archiveErasures.awaitInsertsInFlight());
		int sessions = 0;
		int participations = 0;
		long messages = 0;
		for (UserInstance instance : instancesOf(userId)) {
			if (instance.owned()) {
				this.erasures.erase(instance.code(), instance.sessionId(), instance.where(), instance.owner(), admin,
						reason);
				sessions++;
				continue;
			}
			messages += "archived".equals(instance.where()) ? redactArchive(instance, userId, admin, reason)
					: redactLive(instance, userId, admin, reason);
			participations++;
		}
		this.redis.delete(this.keys.userSessions(userId));
		logger.info("Erased user " + userId + " for " + ((admin != null) ? "admin " + admin : "an open-mode caller")
				+ ": " + sessions + " sessions, " + messages + " messages in " + participations + " others");
		return new Result(userId, sessions, participations, messages);
	}

	/**
	 * The user's instances: those of the user's index in Redis, then the archived ones,
	 * each once.
	 */
	public List<UserInstance> instancesOf(String userId) {
		Map<UUID, UserInstance> instances = new LinkedHashMap<>();
		for (long skip = 0;; skip += PAGE) {
			List<IndexPages.Entry> entries = this.index.page(userId, Double.POSITIVE_INFINITY, skip, PAGE);
			for (IndexPages.Entry entry : entries) {
				LiveInstances.Checked checked = entry.checked();
				if (checked != null && checked.meta() != null) {
					instances.putIfAbsent(checked.ref().sessionId(),
							new UserInstance(checked.ref().code(), checked.ref().sessionId(),
									"owner".equals(checked.role()), checked.live() ? "live" : "ended",
									checked.meta().owner().orElse(null)));
				}
			}
			if (entries.size() < PAGE) {
				break;
			}
		}
		Cursor after = null;
		while (true) {
			List<UserArchive> page = this.archiveUsers.findForUser(userId, after, PAGE);
			for (UserArchive archive : page) {
				instances.putIfAbsent(archive.archive().sessionId(), new UserInstance(archive.code(),
						archive.archive().sessionId(), "owner".equals(archive.role()), "archived",
						archive.archive().owner()));
			}
			if (page.size() < PAGE) {
				return List.copyOf(instances.values());
			}
			after = page.get(page.size() - 1).position();
		}
	}

	/**
	 * Reads an instance's messages page by page (the largest pages the history cuts), live
	 * or archived, with their seqs, for the user's data: all of them for an owned instance,
	 * the user's own otherwise.
	 * @throws SessionNotFoundException when the instance is gone
	 */
	public void messagesOf(UserInstance instance, String userId, MessageConsumer consumer) {
		long seq = 0;
		long total = Long.MAX_VALUE;
		while (seq < total) {
			HistoryPage page = this.history.read(instance.code(), instance.sessionId(), HistoryQuery.after(seq))
				.page();
			total = page.total();
			if (page.size() == 0) {
				return;
			}
			for (int i = 0; i < page.size(); i++) {
				byte[] message = page.message(i);
				if (instance.owned() || Tombstones.writtenBy(message, userId)) {
					consumer.accept(seq + i + 1, message);
				}
			}
			seq += page.size();
		}
	}

	/** A message with its seq. */
	@FunctionalInterface
	public interface MessageConsumer {

		void accept(long seq, byte[] message);

	}

	private long redactLive(UserInstance instance, String userId, @Nullable String admin, @Nullable String reason) {
		List<Long> seqs = new ArrayList<>();
		try {
			messagesOf(instance, userId, (seq, message) -> seqs.add(seq));
		}
		catch (SessionNotFoundException ex) {
			return 0; // gone meanwhile: archived (and erased by the worker) or erased
		}
		this.log.messages(admin, instance.code(), instance.sessionId(), instance.owner(), userId, instance.where(),
				reason);
		// Also when the instance is archived meanwhile: the worker, which writes it after the
		// barrier, erases the same messages from what it read.
		this.live.redact(instance.code(), instance.sessionId(), userId, seqs);
		return seqs.size();
	}

	private long redactArchive(UserInstance instance, String userId, @Nullable String admin, @Nullable String reason) {
		Long erased = this.transactions.execute((status) -> {
			this.archiveErasures.lock(instance.sessionId());
			this.log.messages(admin, instance.code(), instance.sessionId(), instance.owner(), userId, "archived",
					reason);
			return this.archiveErasures.redact(instance.sessionId(), userId);
		});
		this.cache.evict(List.of(instance.sessionId()));
		return (erased != null) ? erased : 0;
	}

}
