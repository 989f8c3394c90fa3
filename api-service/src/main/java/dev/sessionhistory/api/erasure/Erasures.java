package dev.sessionhistory.api.erasure;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.sessionhistory.api.archive.ArchiveCache;
import dev.sessionhistory.api.archive.ArchiveErasures;
import dev.sessionhistory.api.archive.ArchiveTable;
import dev.sessionhistory.api.archive.ArchivedSession;
import dev.sessionhistory.api.live.LivePage;
import dev.sessionhistory.api.live.LivePages;
import dev.sessionhistory.api.live.LiveSessions;
import dev.sessionhistory.api.live.SessionNotFoundException;
import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.SessionAccess;
import dev.sessionhistory.api.security.SessionHolders;
import dev.sessionhistory.api.system.InvalidRequestException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erases session instances wherever they are: live, ended and waiting for the worker, or
 * archived. In this order, so that nothing erased comes back:
 * <ol>
 * <li>PostgreSQL, in one transaction under the instance's advisory lock (the lock the
 * worker inserts under): the erasure log row, then the delete of the archive. From its
 * commit on, no worker archives the instance: one holding it waits on the lock and its
 * row is deleted, one that comes later finds the log row.</li>
 * <li>Redis ({@code erase.lua}): the live or ended instance's data. If this fails, the
 * request fails (retry it: each step repeats harmlessly), and the worker, refused by the
 * log, purges the data when it reaches it.</li>
 * <li>This replica's archive cache; the others evict from the log ({@link ErasureFeed}).</li>
 * </ol>
 * Who may erase: the instance's owner and admins (anybody in open mode). For everybody
 * else, and for an instance found nowhere, the answer of an unknown session.
 */
@Service
public class Erasures {

	private static final Log logger = LogFactory.getLog(Erasures.class);

	/** The longest reason kept, in UTF-8 bytes. */
	static final int MAX_REASON_BYTES = 1000;

	private final LivePages pages;

	private final LiveSessions live;

	private final ArchiveTable archives;

	private final ArchiveErasures archiveErasures;

	private final ArchiveCache cache;

	private final ErasureLog log;

	private final SessionAccess access;

	private final SessionHolders holders;

	private final TransactionTemplate transactions;

	Erasures(LivePages pages, LiveSessions live, ArchiveTable archives, ArchiveErasures archiveErasures,
			ArchiveCache cache, ErasureLog log, SessionAccess access, SessionHolders holders,
			PlatformTransactionManager transactionManager) {
		this.pages = pages;
		this.live = live;
		this.archives = archives;
		this.archiveErasures = archiveErasures;
		this.cache = cache;
		this.log = log;
		this.access = access;
		this.holders = holders;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/**
	 * Erases one instance of {@code code}.
	 * @param reason why, for the log ({@code null} for none)
	 * @throws SessionNotFoundException when the caller may not erase it, or it is nowhere
	 */
	public void erase(String code, UUID sessionId, @Nullable String reason) {
		Caller caller = Caller.current();
		Found found = find(code, sessionId);
		if (found == null || !this.access.manages(caller, this.holders.archived(sessionId, found.owner()))) {
			throw SessionNotFoundException.of(code, sessionId);
		}
		if (found.where() == null) {
			// Erased before: nothing of it is left to erase, and the log keeps the first erasure.
			return;
		}
		erase(code, sessionId, found.where(), found.owner(), caller.userId(), reason);
	}

	/**
	 * Erases an instance found {@code where} (live, ended, archived), in the order that
	 * keeps it from coming back; for a user's erasure too ({@link UserErasures}).
	 */
	void erase(String code, UUID sessionId, String where, @Nullable String owner, @Nullable String erasedBy,
			@Nullable String reason) {
		String found = this.transactions.execute((status) -> {
			this.archiveErasures.lock(sessionId);
			// archived meanwhile (the worker purges Redis only after its commit): say so
			String at = this.archiveErasures.delete(sessionId) ? "archived" : where;
			this.log.session(erasedBy, code, sessionId, owner, at, reason);
			return at;
		});
		this.live.erase(code, sessionId, owner);
		this.cache.evict(List.of(sessionId));
		logger.info("Erased session " + code + " " + sessionId + " (" + found + ") for "
				+ ((erasedBy != null) ? "user " + erasedBy : "an open-mode caller"));
	}

	/**
	 * Where the instance is, and its owner. Redis is asked first: the worker deletes an
	 * instance's data there only after its archive row committed, so an instance in neither
	 * place was never there (or is erased or past its retention).
	 * @return {@code null} when it is nowhere; a {@code where} of {@code null} when only the
	 * erasure log has it
	 */
	private @Nullable Found find(String code, UUID sessionId) {
		Optional<LivePage> page = this.pages.read(code, sessionId, "latest", 0, 0);
		if (page.isPresent()) {
			return new Found(page.get().live() ? "live" : "ended", page.get().meta().owner().orElse(null));
		}
		Optional<ArchivedSession> archive = this.archives.find(code, sessionId);
		if (archive.isPresent()) {
			return new Found("archived", archive.get().owner());
		}
		return this.log.erased(code, sessionId).map((erased) -> new Found(null, erased.owner())).orElse(null);
	}

	/**
	 * @return the reason as the log keeps it, stripped; {@code null} for none or a blank one
	 * @throws InvalidRequestException for a reason longer than {@value #MAX_REASON_BYTES}
	 * bytes or holding a control character
	 */
	public static @Nullable String reason(@Nullable String reason) {
		if (reason == null || reason.isBlank()) {
			return null;
		}
		if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
			throw new InvalidRequestException("'reason' must be at most " + MAX_REASON_BYTES + " bytes of UTF-8");
		}
		if (reason.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidRequestException("'reason' must be text without control characters");
		}
		return reason.strip();
	}

	/**
	 * @param where {@code live}, {@code ended} or {@code archived}; {@code null} when erased
	 * @param owner its owner, or {@code null} for none
	 */
	private record Found(@Nullable String where, @Nullable String owner) {
	}

}
