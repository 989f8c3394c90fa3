package dev.sessionhistory.api.live;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.sessionhistory.api.archive.ArchiveUsers;
import dev.sessionhistory.api.live.LiveInstances.Checked;
import dev.sessionhistory.api.paging.Cursor;
import org.jspecify.annotations.Nullable;

/**
 * Keyset pages of an index of instances in Redis (the due index, a user's index), the live
 * half of the lists that go on into the archive ({@code /me/sessions}, the gallery): batches
 * of entries from a score down, each checked, an instance that is archived already left to
 * the archive half, at most a bounded number examined per page.
 * <p>
 * A position is the index's score and, as a negative cursor id, how many entries of that
 * score were served (ties of one millisecond); entries whose instance is gone are removed
 * from the index as they are seen, so they never count.
 */
public final class IndexPages {

	/** The most entries one page examines. */
	public static final int MOST_EXAMINED = 2064;

	private IndexPages() {
	}

	/** A batch of an index: from {@code max} (inclusive) down, past {@code skip}, at most {@code count}. */
	@FunctionalInterface
	public interface Source {

		List<Entry> batch(double max, long skip, int count);

	}

	/**
	 * An entry of an index, checked.
	 *
	 * @param score its place in the index
	 * @param checked what its instance holds, {@code null} (or without meta) when it is gone
	 */
	public record Entry(long score, @Nullable Checked checked) {

		boolean present() {
			return this.checked != null && this.checked.meta() != null;
		}

	}

	/**
	 * Adds the entries {@code listed} admits, as {@code view} makes them, to {@code items}
	 * until there are {@code wanted}.
	 * @param after where the previous page ended, {@code null} for the first
	 * @param items the page so far, to add to
	 * @return where the examination stopped when it reached its bound with fewer items;
	 * {@code null} when the index has no more entries or {@code wanted} items are there
	 */
	public static <T> @Nullable Cursor fill(Source source, ArchiveUsers archives, @Nullable Cursor after, int wanted,
			Predicate<Checked> listed, Function<Checked, T> view, List<Positioned<T>> items) {
		double max = (after != null) ? after.time().toEpochMilli() : Double.POSITIVE_INFINITY;
		long score = (after != null) ? after.time().toEpochMilli() : Long.MAX_VALUE;
		long ties = (after != null) ? -after.id() - 1 : 0;
		int examined = 0;
		while (examined < MOST_EXAMINED) {
			int batch = Math.min(wanted - items.size() + 16, MOST_EXAMINED - examined);
			List<Entry> entries = source.batch(max, (max == score) ? ties : 0, batch);
			List<UUID> ended = entries.stream()
				.filter((entry) -> entry.present() && !entry.checked().live())
				.map((entry) -> entry.checked().ref().sessionId())
				.toList();
			var archived = archives.archivedAmong(ended);
			for (Entry entry : entries) {
				examined++;
				if (!entry.present()) {
					continue;
				}
				ties = (entry.score() == score) ? ties + 1 : 1;
				score = entry.score();
				Checked checked = entry.checked();
				if (!archived.contains(checked.ref().sessionId()) && listed.test(checked)) {
					items.add(new Positioned<>(view.apply(checked), position(score, ties)));
					if (items.size() == wanted) {
						return null;
					}
				}
			}
			if (entries.size() < batch) {
				return null;
			}
			max = score;
		}
		return position(score, ties);
	}

	private static Cursor position(long score, long ties) {
		return new Cursor(Instant.ofEpochMilli(score), -ties - 1);
	}

	/**
	 * An item of a list and where it lies in it.
	 *
	 * @param item the item
	 * @param position its place
	 */
	public record Positioned<T>(T item, Cursor position) {
	}

}
