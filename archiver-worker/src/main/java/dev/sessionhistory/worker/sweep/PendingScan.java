package dev.sessionhistory.worker.sweep;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.sessionhistory.worker.sweep.DueIndex.MembersPage;
import dev.sessionhistory.worker.sweep.DueIndex.PendingKeys;
import dev.sessionhistory.worker.sweep.DueIndex.PendingSet;

/**
 * One replica's way through the keyspace, a bounded step at a time, re-indexing the
 * instances of pending sets that are missing from the {@code due} index (a writer that
 * failed between its script and its {@code ZADD}). Remembers the {@code SCAN} cursor and
 * the sets not fully read between steps; a step that fails changes nothing, so the next
 * one repeats it. Not thread-safe: one thread steps.
 */
final class PendingScan {

	private final DueIndex index;

	private final int batch;

	private String cursor = DueIndex.CURSOR_START;

	private boolean scanDone;

	/** Pending sets found by the last SCAN and not fully read yet. */
	private final Deque<PendingSet> open = new ArrayDeque<>();

	/**
	 * @param batch the {@code COUNT} of each {@code SCAN} and {@code SSCAN}, and the most
	 * pending sets read in one step
	 */
	PendingScan(DueIndex index, int batch) {
		this.index = index;
		this.batch = batch;
	}

	/** Whether the next step begins a pass. */
	boolean atStart() {
		return !this.scanDone && DueIndex.CURSOR_START.equals(this.cursor) && this.open.isEmpty();
	}

	/**
	 * One step: a {@code SCAN} call when every set found so far is read, then one
	 * {@code SSCAN} page of at most {@code batch} of the sets found, then the missing
	 * instances added to the due index at {@code now}. About {@code batch} keys looked at,
	 * at most {@code batch} sets read, each by one page of about {@code batch} members.
	 */
	Step step(long now) {
		String nextCursor = this.cursor;
		boolean nextScanDone = this.scanDone;
		List<PendingSet> found = List.of();
		if (this.open.isEmpty()) {
			PendingKeys page = this.index.scanPendingKeys(this.cursor, this.batch);
			nextCursor = page.cursor();
			nextScanDone = page.last();
			found = page.codes().stream().map(PendingSet::start).toList();
		}
		List<PendingSet> round = new ArrayList<>(Math.min(this.batch, this.open.size() + found.size()));
		this.open.stream().limit(this.batch).forEach(round::add);
		found.stream().limit(this.batch - round.size()).forEach(round::add);
		List<MembersPage> pages = round.isEmpty() ? List.of() : this.index.scanMembers(round, this.batch);
		Set<String> members = new LinkedHashSet<>();
		List<String> wrongType = new ArrayList<>();
		for (MembersPage page : pages) {
			members.addAll(page.members());
			if (page.wrongType()) {
				wrongType.add(page.set().code());
			}
		}
		long reindexed = this.index.addMissing(members, now);

		// Everything done: only now move on, so a failure above leaves the step to repeat.
		this.cursor = nextCursor;
		this.scanDone = nextScanDone;
		this.open.addAll(found);
		for (int i = 0; i < round.size(); i++) {
			this.open.removeFirst();
		}
		pages.stream().filter((page) -> page.rest() != null).forEach((page) -> this.open.addLast(page.rest()));
		boolean passComplete = this.scanDone && this.open.isEmpty();
		if (passComplete) {
			this.cursor = DueIndex.CURSOR_START;
			this.scanDone = false;
		}
		return new Step(round.size(), members.size(), reindexed, wrongType, passComplete);
	}

	/**
	 * What one step did.
	 *
	 * @param sets how many pending sets it read a page of
	 * @param members how many instances it found in them
	 * @param reindexed how many of those were missing from the due index
	 * @param wrongType the codes whose pending key is not a set (a foreign program's key)
	 * @param passComplete whether it ended a pass over the keyspace
	 */
	record Step(int sets, int members, long reindexed, List<String> wrongType, boolean passComplete) {
	}

}
