package dev.sessionhistory.worker.archive;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.worker.archive.ArchiveTable.Result;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes archives in transactions: a session row and its chunks commit together, so a row
 * never exists without its messages; a batch falls back to one row per transaction when
 * PostgreSQL refuses a value, so a bad row cannot block the others, and a refused row is
 * written again with the values jsonb refuses wrapped. The statements are
 * {@link ArchiveTable}'s.
 */
@Component
class ArchiveWriter {

	private static final Log logger = LogFactory.getLog(ArchiveWriter.class);

	private final ArchiveTable table;

	private final TransactionTemplate transactions;

	ArchiveWriter(ArchiveTable table, PlatformTransactionManager transactionManager) {
		this.table = table;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/** Reads the next chunk of a session being written, or {@code null} after the last. */
	@FunctionalInterface
	interface ChunkSource {

		ArchiveChunk read(long firstSeq);

	}

	/**
	 * Writes rows whose chunks are all in memory: one transaction for all; one per row when
	 * the batch holds a value PostgreSQL refuses, so a bad row cannot block the others.
	 * @throws DataAccessException when the database cannot be used at all
	 */
	Map<ArchiveRow, Result> insert(List<ArchiveRow> rows) {
		try {
			return this.transactions.execute((status) -> insertAll(rows));
		}
		catch (DataAccessException ex) {
			if (!ArchiveTable.isDataError(ex)) {
				throw ex;
			}
			logger.warn("A batch of " + rows.size() + " archive rows was refused (" + ex.getMostSpecificCause()
					+ "); inserting them one by one");
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
	 * the session is written again with every chunk checked first.
	 * @param header the row without chunks
	 * @param source the windows of its messages
	 * @return the result, with the totals of the chunks written
	 */
	Streamed insertStreamed(ArchiveRow header, ChunkSource source) {
		try {
			return this.transactions.execute((status) -> stream(header, source, false));
		}
		catch (DataAccessException ex) {
			if (!ArchiveTable.isDataError(ex)) {
				throw ex;
			}
			logger.warn("Archive of " + header.ref().member() + " was refused (" + ex.getMostSpecificCause()
					+ "); writing it again, wrapping the values PostgreSQL refuses");
		}
		try {
			return this.transactions.execute((status) -> stream(header, source, true));
		}
		catch (DataAccessException ex) {
			if (!ArchiveTable.isDataError(ex)) {
				throw ex;
			}
			logger.error("Archive of " + header.ref().member() + " was refused again, its data stays in Redis: "
					+ ex.getMostSpecificCause());
			return new Streamed(Result.REFUSED, 0, 0);
		}
	}

	/**
	 * @param result what became of the row
	 * @param messageCount how many messages it holds
	 * @param malformed how many of them were wrapped
	 */
	record Streamed(Result result, long messageCount, int malformed) {
	}

	private Streamed stream(ArchiveRow header, ChunkSource source, boolean salvage) {
		// The totals are known only at the end: insert the row first, complete it last.
		ArchiveRow row = salvage ? header.with(List.of(), !this.table.castsToJsonb(header.metadata())) : header;
		Map<SessionRef, Result> results = this.table.insertSessions(List.of(row));
		Result result = results.get(header.ref());
		if (result != Result.INSERTED) {
			return new Streamed(result, 0, 0);
		}
		long next = 1;
		long bytes = 0;
		int malformed = 0;
		for (ArchiveChunk chunk = source.read(next); chunk != null && chunk.size() > 0; chunk = source.read(next)) {
			ArchiveChunk stored = salvage ? salvage(chunk) : chunk;
			this.table.insertChunks(List.of(header.ref().sessionId()), List.of(stored));
			next = stored.lastSeq() + 1;
			bytes += stored.bytes();
			malformed += stored.malformed();
		}
		long count = next - 1;
		this.table.updateTotals(header.ref(), count, malformed, (header.meta().bytes() > 0) ? header.meta().bytes() : bytes);
		return new Streamed(Result.INSERTED, count, malformed);
	}

	private Map<ArchiveRow, Result> insertAll(List<ArchiveRow> rows) {
		Map<SessionRef, Result> results = this.table.insertSessions(rows);
		List<UUID> ids = new ArrayList<>();
		List<ArchiveChunk> chunks = new ArrayList<>();
		Map<ArchiveRow, Result> byRow = new LinkedHashMap<>();
		for (ArchiveRow row : rows) {
			Result result = results.get(row.ref());
			byRow.put(row, result);
			if (result == Result.INSERTED) {
				for (ArchiveChunk chunk : row.chunks()) {
					ids.add(row.ref().sessionId());
					chunks.add(chunk);
				}
			}
		}
		this.table.insertChunks(ids, chunks);
		return byRow;
	}

	/** Inserts one row, salvaged if need be, recording it as written. */
	private void insertOne(ArchiveRow row, Map<ArchiveRow, Result> results) {
		try {
			results.put(row, this.transactions.execute((status) -> insertAll(List.of(row))).get(row));
			return;
		}
		catch (DataAccessException ex) {
			if (!ArchiveTable.isDataError(ex)) {
				throw ex;
			}
			logger.warn("Archive row of " + row.ref().member() + " was refused (" + ex.getMostSpecificCause()
					+ "); wrapping the values PostgreSQL refuses");
		}
		List<ArchiveChunk> salvaged = new ArrayList<>(row.chunks().size());
		row.chunks().forEach((chunk) -> salvaged.add(salvage(chunk)));
		ArchiveRow wrapped = row.with(salvaged, !this.table.castsToJsonb(row.metadata()));
		try {
			results.put(wrapped, this.transactions.execute((status) -> insertAll(List.of(wrapped))).get(wrapped));
		}
		catch (DataAccessException ex) {
			if (!ArchiveTable.isDataError(ex)) {
				throw ex;
			}
			logger.error("Archive row of " + row.ref().member() + " was refused again, its data stays in Redis: "
					+ ex.getMostSpecificCause());
			results.put(row, Result.REFUSED);
		}
	}

	/** Finds the elements jsonb refuses by halving, so a long chunk costs few queries. */
	private ArchiveChunk salvage(ArchiveChunk chunk) {
		Set<Integer> refused = new HashSet<>();
		findRefused(chunk.elements(), 0, chunk.size(), refused);
		return refused.isEmpty() ? chunk : chunk.wrapping(refused);
	}

	private void findRefused(List<String> elements, int from, int to, Set<Integer> refused) {
		if (from >= to || this.table.castsToJsonb(ArchiveChunk.join(elements.subList(from, to)))) {
			return;
		}
		if (to - from == 1) {
			refused.add(from);
			return;
		}
		int middle = (from + to) >>> 1;
		findRefused(elements, from, middle, refused);
		findRefused(elements, middle, to, refused);
	}

}
