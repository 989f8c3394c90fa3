package dev.sessionhistory.api.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.sessionhistory.api.archive.ArchiveCache;
import dev.sessionhistory.api.archive.ArchiveChunk;
import dev.sessionhistory.api.archive.ArchivedHistory;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.PageCut;

import org.springframework.stereotype.Component;

/**
 * Cuts one page out of an archive, reading only the chunks it overlaps.
 * <p>
 * The candidates are the messages the page takes by count ({@link HistoryQuery#bounds});
 * the bytes cut ({@link PageCut}) needs the sizes of those nearest the cursor, which are
 * known only once their chunk is read. So the chunks are read from the cursor side in
 * rounds, each one query: a round takes as many chunks as the bytes still allowed need
 * if every chunk were full ({@link #CHUNK_BYTES}); only a chunk holding fewer bytes makes
 * another round necessary. A page thus reads the chunks its messages lie in, never more,
 * unless chunks are larger than the writer makes them (a single large message, or the
 * chunks of 100 messages that layout 1 archives were migrated into).
 */
@Component
class ArchivedPages {

	/**
	 * The most message bytes the archiver puts in a chunk of several messages (a larger
	 * message is a chunk of its own).
	 */
	static final long CHUNK_BYTES = 256 * 1024;

	private final ArchiveCache store;

	private final long maxBytes;

	ArchivedPages(ArchiveCache store, HistoryProperties properties) {
		this.store = store;
		this.maxBytes = properties.page().maxBytes().toBytes();
	}

	/** The page of {@code history} that {@code query} asks for, with its final bounds. */
	Page page(ArchivedHistory history, HistoryQuery query) {
		HistoryQuery.Bounds candidates = query.bounds(history.total());
		if (candidates.size() == 0) {
			return new Page(HistoryPage.archive(history, candidates.hasMore(), List.of()), candidates);
		}
		boolean forward = "after".equals(query.mode());
		long low = candidates.from() + 1;
		long high = candidates.to();
		int first = history.chunkOf(low);
		int last = history.chunkOf(high);
		Deque<ArchiveChunk> read = new ArrayDeque<>();
		long bytes = 0;
		int next = forward ? first : last;
		while ((forward ? next <= last : next >= first) && bytes < this.maxBytes) {
			int count = (int) Math.max(1, (this.maxBytes - bytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
			int from = forward ? next : Math.max(first, next - count + 1);
			int to = forward ? Math.min(last, next + count - 1) : next;
			List<ArchiveChunk> round = this.store.chunks(history, from, to);
			for (ArchiveChunk chunk : round) {
				for (long seq = Math.max(low, chunk.firstSeq()); seq <= Math.min(high, chunk.lastSeq()); seq++) {
					bytes += chunk.end(seq) - chunk.start(seq);
				}
			}
			if (forward) {
				read.addAll(round);
				next = to + 1;
			}
			else {
				for (int i = round.size() - 1; i >= 0; i--) {
					read.addFirst(round.get(i));
				}
				next = from - 1;
			}
		}
		// the candidates whose chunks were read, ascending
		List<HistoryPage.Slice> messages = new ArrayList<>();
		for (ArchiveChunk chunk : read) {
			for (long seq = Math.max(low, chunk.firstSeq()); seq <= Math.min(high, chunk.lastSeq()); seq++) {
				messages.add(new HistoryPage.Slice(chunk.messagesRaw(), chunk.start(seq), chunk.end(seq)));
			}
		}
		int[] sizes = messages.stream().mapToInt(HistoryPage.Slice::length).toArray();
		PageCut cut = PageCut.of(query.mode(), sizes, this.maxBytes);
		HistoryQuery.Bounds bounds;
		if (forward) {
			messages = messages.subList(0, cut.kept());
			bounds = new HistoryQuery.Bounds(candidates.from(), candidates.from() + cut.kept(),
					candidates.from() + cut.kept() < history.total());
		}
		else {
			messages = messages.subList(messages.size() - cut.kept(), messages.size());
			bounds = new HistoryQuery.Bounds(candidates.to() - cut.kept(), candidates.to(),
					candidates.to() - cut.kept() > 0);
		}
		return new Page(HistoryPage.archive(history, bounds.hasMore(), messages), bounds);
	}

	/**
	 * @param page the page
	 * @param bounds its messages after the bytes cut: seqs {@code from + 1} to {@code to}
	 */
	record Page(HistoryPage page, HistoryQuery.Bounds bounds) {
	}

}
