package dev.sessionhistory.api.history;

import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.PageCut;

/**
 * Which page of a history is asked for, by {@code seq}. {@link #bounds} is the very
 * arithmetic of the read script for the page's candidates by count; both sources then
 * bound them by bytes with {@link PageCut}, so they cut the same pages.
 *
 * @param mode 'latest', 'after' or 'before', as the read script names them
 * @param cursor the seq of {@code after}/{@code before}; 0 for 'latest'
 * @param limit the page size
 */
public record HistoryQuery(String mode, long cursor, int limit) {

	static final int DEFAULT_LIMIT = 100;

	static final int MAX_LIMIT = 1000;

	// Beyond any real seq, and exact in the script's doubles.
	private static final long MAX_CURSOR = 1L << 50;

	/**
	 * The page the query parameters ask for.
	 * @throws InvalidRequestException naming a bad parameter
	 */
	public static HistoryQuery of(String limit, String before, String after) {
		int size = (limit != null) ? limit(limit) : DEFAULT_LIMIT;
		if (before != null && after != null) {
			throw new InvalidRequestException("Use 'before' or 'after', not both");
		}
		if (after != null) {
			return new HistoryQuery("after", cursor("after", after), size);
		}
		if (before != null) {
			return new HistoryQuery("before", cursor("before", before), size);
		}
		return new HistoryQuery("latest", 0, size);
	}

	/** The largest page of the messages after {@code seq}: the next of a walk through a whole history. */
	public static HistoryQuery after(long seq) {
		return new HistoryQuery("after", Math.min(seq, MAX_CURSOR), MAX_LIMIT);
	}

	/**
	 * The page of a history of {@code total} messages: seqs {@code from + 1} to {@code to}.
	 */
	Bounds bounds(long total) {
		return switch (this.mode) {
			case "after" -> {
				long to = Math.min(this.cursor + this.limit, total);
				yield new Bounds(this.cursor, to, to < total);
			}
			case "before" -> {
				long to = Math.min(this.cursor - 1, total);
				long from = Math.max(to - this.limit, 0);
				yield new Bounds(from, to, from > 0);
			}
			default -> {
				long from = Math.max(total - this.limit, 0);
				yield new Bounds(from, total, from > 0);
			}
		};
	}

	private static int limit(String value) {
		long limit = integer("limit", value);
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new InvalidRequestException("'limit' must be between 1 and " + MAX_LIMIT + " but was " + value);
		}
		return (int) limit;
	}

	private static long cursor(String name, String value) {
		return Math.min(integer(name, value), MAX_CURSOR);
	}

	private static long integer(String name, String value) {
		if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw new InvalidRequestException("'" + name + "' must be a non-negative integer but was '" + value + "'");
		}
		return Long.parseLong(value);
	}

	/**
	 * @param from the number of messages before the page
	 * @param to the seq of its last message; no messages when {@code to <= from}
	 * @param hasMore whether more messages exist in the direction asked
	 */
	record Bounds(long from, long to, boolean hasMore) {

		int size() {
			return (int) Math.max(this.to - this.from, 0);
		}

	}

}
