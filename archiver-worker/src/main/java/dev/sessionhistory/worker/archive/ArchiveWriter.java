package dev.sessionhistory.worker.archive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.worker.archive.ArchiveTable.Result;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes archives in transactions: a session row, its chunks and its users (owner and
 * participants) commit together, so a row never exists without its messages. The token
 * epochs are read again from Redis right before the commit and once more right after it,
 * and the larger one kept: a revoke that lands in Redis after the first read finds the row
 * committed (the API raises the row's epoch too) or is read by the second, before the
 * Redis data may go. A batch falls back to one row per transaction when
 * PostgreSQL refuses a value, so a bad row cannot block the others, and a refused row is
 * written again salvaged ({@link RowSalvage}). The statements are {@link ArchiveTable}'s.
 */
@Component
class ArchiveWriter {

	private static final Log logger = LogFactory.getLog(ArchiveWriter.class);

	private final ArchiveTable table;

	private final RowSalvage salvage;

	private final ParticipantReader redis;

	private final TransactionTemplate transactions;

	ArchiveWriter(ArchiveTable table, RowSalvage salvage, ParticipantReader redis,
			PlatformTransactionManager transactionManager) {
		this.table = table;
		this.salvage = salvage;
		this.redis = redis;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/** Reads the next chunk of a session being written, or {@code null} after the last. */
	@FunctionalInterface
	interface ChunkSource {

		ArchiveChunk read(long firstSeq);

	}

	/**
	 * @param result what became of the row
	 * @param messageCount how many messages it holds
	 * @param malformed how many of them were wrapped
	 */
	record Streamed(Result result, long messageCount, int malformed) {
	}

	/**
	 * Writes rows whose chunks are all in memory: one transaction for all; one per row when
	 * the batch holds a value PostgreSQL refuses, so a bad row cannot block the others.
	 * @return the result of each row, keyed by the row as written (salvaged or not)
	 * @throws DataAccessException when the database cannot be used at all
	 * @throws ParticipantReader.ReadFailedException when the epochs could not be read again
	 * (the rows may be committed: the next attempt finds them and reads the epochs again)
	 */
	Map<ArchiveRow, Result> insert(List<ArchiveRow> rows) {
		Map<ArchiveRow, Result> results = insertRows(rows);
		List<ArchiveRow> stored = new ArrayList<>();
		results.forEach((row, result) -> {
			if (result == Result.INSERTED || result == Result.ALREADY) {
				stored.add(row);
			}
		});
		raiseEpochsAfterCommit(stored);
		return results;
	}

	private Map<ArchiveRow, Result> insertRows(List<ArchiveRow> rows) {
		Map<ArchiveRow, Result> together = inTransaction(() -> insertAll(rows), (ex) -> {
			logger.warn("A batch of " + rows.size() + " archive rows was refused (" + ex.getMostSpecificCause()
					+ "); inserting them one by one");
			return null;
		});
		if (together != null) {
			return together;
		}
		Map<ArchiveRow, Result> results = new LinkedHashMap<>();
		for (ArchiveRow row : rows) {
			insertOne(row, results);
		}
		return results;
	}

	/**
	 * Writes one session whose messages are read window by window while it is written, so
	 * a session of any size is archived in bounded memory. If PostgreSQL refuses a value,
	 * the session is written again with every chunk salvaged first.
	 * @param header the row without chunks
	 * @param source the windows of its messages
	 * @return the result, with the totals of the chunks written
	 */
	Streamed insertStreamed(ArchiveRow header, ChunkSource source) {
		Streamed streamed = inTransaction(() -> stream(header, source, false), (ex) -> {
			logger.warn("Archive of " + header.ref().member() + " was refused (" + ex.getMostSpecificCause()
					+ "); writing it again, wrapping the values PostgreSQL refuses");
			return null;
		});
		if (streamed == null) {
			streamed = inTransaction(() -> stream(header, source, true), (ex) -> {
				logger.error("Archive of " + header.ref().member() + " was refused again, its data stays in Redis: "
						+ ex.getMostSpecificCause());
				return new Streamed(Result.REFUSED, 0, 0);
			});
		}
		if (streamed.result() == Result.INSERTED || streamed.result() == Result.ALREADY) {
			raiseEpochsAfterCommit(List.of(header));
		}
		return streamed;
	}

	/**
	 * Reads the token epochs of committed rows again and raises them in the table, in a
	 * statement of its own: a revoke between the read before the commit and the commit is
	 * kept, as the Redis data goes only after this.
	 */
	private void raiseEpochsAfterCommit(List<ArchiveRow> rows) {
		if (!rows.isEmpty()) {
			this.table.raiseEpochs(this.redis.raisedEpochs(rows));
		}
	}

	/**
	 * Runs {@code work} in a transaction of its own.
	 * @param refused what to return when PostgreSQL refused a value (all rolled back)
	 * @throws DataAccessException when the database cannot be used at all
	 */
	private <T> T inTransaction(Supplier<T> work, Function<DataAccessException, T> refused) {
		try {
			return this.transactions.execute((status) -> work.get());
		}
		catch (DataAccessException ex) {
			if (!JdbcSupport.isDataError(ex)) {
				throw ex;
			}
			return refused.apply(ex);
		}
	}

	private Streamed stream(ArchiveRow claimed, ChunkSource source, boolean salvage) {
		this.table.lock(List.of(claimed));
		ErasedUsers erasedUsers = this.table.erasedUsers(List.of(claimed));
		if (erasedUsers.ownerErased(claimed)) {
			return new Streamed(Result.ERASED, 0, 0);
		}
		Set<String> erased = erasedUsers.erasedParticipants(claimed);
		ArchiveRow header = erasedUsers.redact(claimed);
		// The totals are known only at the end: insert the row first, complete it last.
		ArchiveRow row = salvage ? this.salvage.salvageHeader(header) : header;
		Map<SessionRef, Result> results = this.table.insertSessions(List.of(row));
		Result result = results.get(header.ref());
		if (result != Result.INSERTED) {
			return new Streamed(result, 0, 0);
		}
		this.table.insertUsers(List.of(row));
		long next = 1;
		long bytes = 0;
		int malformed = 0;
		for (ArchiveChunk chunk = source.read(next); chunk != null && chunk.size() > 0; chunk = source.read(next)) {
			ArchiveChunk kept = erased.isEmpty() ? chunk : chunk.erasing(erased);
			ArchiveChunk stored = salvage ? this.salvage.salvage(kept) : kept;
			this.table.insertChunks(List.of(header.ref().sessionId()), List.of(stored));
			next = stored.lastSeq() + 1;
			bytes += stored.bytes();
			malformed += stored.malformed();
		}
		long count = next - 1;
		this.table.updateTotals(header.ref(), count, malformed, (header.meta().bytes() > 0) ? header.meta().bytes() : bytes);
		this.table.raiseEpochs(this.redis.raisedEpochs(List.of(header)));
		return new Streamed(Result.INSERTED, count, malformed);
	}

	/**
	 * Writes rows under their locks: none of an instance whose owner's data was erased, and
	 * the others without the messages of erased participants ({@link ErasedUsers}).
	 * @return the result of each row, keyed by the row as given
	 */
	private Map<ArchiveRow, Result> insertAll(List<ArchiveRow> claimed) {
		this.table.lock(claimed);
		ErasedUsers erasedUsers = this.table.erasedUsers(claimed);
		Map<ArchiveRow, Result> byRow = new LinkedHashMap<>();
		Map<ArchiveRow, ArchiveRow> written = new LinkedHashMap<>();
		for (ArchiveRow row : claimed) {
			if (erasedUsers.ownerErased(row)) {
				byRow.put(row, Result.ERASED);
			}
			else {
				written.put(row, erasedUsers.redact(row));
			}
		}
		Map<SessionRef, Result> results = written.isEmpty() ? Map.of()
				: this.table.insertSessions(List.copyOf(written.values()));
		List<UUID> ids = new ArrayList<>();
		List<ArchiveChunk> chunks = new ArrayList<>();
		List<ArchiveRow> inserted = new ArrayList<>();
		for (Map.Entry<ArchiveRow, ArchiveRow> entry : written.entrySet()) {
			ArchiveRow row = entry.getValue();
			Result result = results.get(row.ref());
			byRow.put(entry.getKey(), result);
			if (result == Result.INSERTED) {
				inserted.add(row);
				for (ArchiveChunk chunk : row.chunks()) {
					ids.add(row.ref().sessionId());
					chunks.add(chunk);
				}
			}
		}
		this.table.insertChunks(ids, chunks);
		this.table.insertUsers(inserted);
		this.table.raiseEpochs(this.redis.raisedEpochs(inserted));
		return byRow;
	}

	/** Inserts one row, salvaged if need be, recording it as written. */
	private void insertOne(ArchiveRow row, Map<ArchiveRow, Result> results) {
		Result result = inTransaction(() -> insertAll(List.of(row)).get(row), (ex) -> {
			logger.warn("Archive row of " + row.ref().member() + " was refused (" + ex.getMostSpecificCause()
					+ "); wrapping the values PostgreSQL refuses");
			return null;
		});
		if (result != null) {
			results.put(row, result);
			return;
		}
		ArchiveRow wrapped = this.salvage.salvage(row);
		Result again = inTransaction(() -> insertAll(List.of(wrapped)).get(wrapped), (ex) -> {
			logger.error("Archive row of " + row.ref().member() + " was refused again, its data stays in Redis: "
					+ ex.getMostSpecificCause());
			return null;
		});
		if (again != null) {
			results.put(wrapped, again);
		}
		else {
			results.put(row, Result.REFUSED);
		}
	}

}
