package dev.sessionhistory.api.paging;

import java.util.List;
import java.util.function.Function;

import dev.sessionhistory.api.system.InvalidRequestException;

/**
 * Which page of a list is asked for, from the {@code limit} and {@code cursor} query
 * parameters. A repository fetches {@link #fetchSize()} rows past {@link #after()} (all of
 * them from the start when it is {@code null}) and hands them to {@link #page}; the one row
 * beyond the limit only tells whether a next page exists.
 *
 * @param list names the list, and everything that selects its rows: a cursor is valid
 * only for the list that issued it
 * @param limit the page size
 * @param after where the previous page ended; {@code null} for the first page
 */
public record PageQuery(String list, int limit, Cursor after) {

	/** The query parameter that carries the page size. */
	public static final String LIMIT = "limit";

	public static final int DEFAULT_LIMIT = 100;

	public static final int MAX_LIMIT = 1000;

	/**
	 * The page the parameters ask for; a 400 naming the parameter for a bad one.
	 * @param list names the list, e.g. its path
	 * @param limit the {@code limit} parameter, {@code null} if absent
	 * @param cursor the {@code cursor} parameter, {@code null} if absent
	 */
	public static PageQuery of(String list, String limit, String cursor) {
		return new PageQuery(list, (limit != null) ? limit(limit) : DEFAULT_LIMIT,
				(cursor != null) ? Cursor.decode(cursor, list) : null);
	}

	/** How many rows to fetch: one more than the limit, to know whether more follow. */
	public int fetchSize() {
		return this.limit + 1;
	}

	/**
	 * The page of rows fetched in list order, at most {@link #fetchSize()} of them.
	 * @param rows the rows past {@link #after()}
	 * @param position where each row lies in the list
	 */
	public <T> Page<T> page(List<T> rows, Function<? super T, Cursor> position) {
		if (rows.size() <= this.limit) {
			return new Page<>(List.copyOf(rows), null, this);
		}
		List<T> items = List.copyOf(rows.subList(0, this.limit));
		return new Page<>(items, position.apply(items.get(items.size() - 1)), this);
	}

	private static int limit(String value) {
		// Digits only: no sign, no spaces, no exponent; and short enough to parse.
		if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch((c) -> c >= '0' && c <= '9')
				|| Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_LIMIT) {
			throw new InvalidRequestException("'" + LIMIT + "' must be an integer from 1 to " + MAX_LIMIT
					+ " but was '" + abbreviate(value) + "'");
		}
		return Integer.parseInt(value);
	}

	private static String abbreviate(String value) {
		return (value.length() <= 40) ? value : value.substring(0, 40) + "…";
	}

}
