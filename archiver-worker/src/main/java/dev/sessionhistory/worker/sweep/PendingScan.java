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
import dev.sessionhistory.worker.redis.RedisNodes.Node;

/**
 * One replica's way through the keyspace, each master's in turn, a bounded step at a time, re-indexing the
 * instances of pending sets that are missing from the {@code due} index (a writer that
 * failed between its script and its {@code ZADD}). Remembers the {@code SCAN} cursor and
 * the sets not fully read between steps; a step that fails changes nothing, so the next
 * one repeats it. Not thread-safe: one thread steps.
 */
final class PendingScan {

	private final DueIndex index;

	private final int batch;

	/** The masters of the pass in progress, {@code null} between passes. */
	private List<Node> nodes;

	/** Which of them the pass is at. */
	private int node;

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
		return this.nodes == null;
	}

	/**
	 * One step: a {@code SCAN} call on the master the pass is at when every set found so far
	 * is read, then one {@code SSCAN} page of at most {@code batch} of the sets found, then
	 * the missing instances added to the due index at {@code now}. About {@code batch} keys
	 * looked at, at most {@code batch} sets read, each by one page of about {@code batch}
	 * members. A pass walks the masters it began with one after the other; a master that is
	 * no longer one (a failover) is left, its keys are on its successor, which the next pass
	 * walks.
	 */
	Step step(long now) {
		List<Node> passNodes = (this.nodes != null) ? this.nodes : this.index.masters();
		String nextCursor = this.cursor;
		boolean nextScanDone = this.scanDone;
		List<PendingSet> found = List.of();
		if (this.open.isEmpty() && !this.scanDone && this.node < passNodes.size()) {
			Node current = passNodes.get(this.node);
			if (this.index.isMaster(current)) {
				PendingKeys page = this.index.scanPendingKeys(current, this.cursor, this.batch);
				nextCursor = page.cursor();
				nextScanDone = page.last();
				found = page.codes().stream().map(PendingSet::start).toList();
			}
			else {
				nextScanDone = true;
			}
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
		this.nodes = passNodes;
		this.cursor = nextCursor;
		this.scanDone = nextScanDone;
		this.open.addAll(found);
		for (int i = 0; i < round.size(); i++) {
			this.open.removeFirst();
		}
		pages.stream().filter((page) -> page.rest() != null).forEach((page) -> this.open.addLast(page.rest()));
		if (this.scanDone && this.open.isEmpty()) {
			this.node++;
			this.cursor = DueIndex.CURSOR_START;
			this.scanDone = false;
		}
		boolean passComplete = this.node >= passNodes.size();
		if (passComplete) {
			this.nodes = null;
			this.node = 0;
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
