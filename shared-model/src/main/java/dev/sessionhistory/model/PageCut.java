package dev.sessionhistory.model;

/**
 * Where a page stops by bytes ({@code history.page.max-bytes}), the one rule both sources
 * apply to the messages as served: the page keeps the messages nearest its cursor (for
 * 'after' the lowest seqs, for 'before' and 'latest' the highest) and stops before the
 * message that would pass the limit; its first message comes whatever its size. Only the
 * message texts count, not the commas between them. The read script ({@code read.lua}, and
 * {@link PageReads} where it reads without the script's messages) cuts live pages by the
 * same rule on the stored texts; applying this after it changes nothing while the served
 * texts are the stored ones.
 *
 * @param kept how many messages stay, counted from the cursor side
 * @param cut whether messages were left out, so the page has more in its direction
 * @param bytes the served bytes of the messages kept
 */
public record PageCut(int kept, boolean cut, long bytes) {

	/**
	 * @param mode 'latest', 'after' or 'before'
	 * @param sizes the served sizes of the page's candidates, ascending seq
	 * @param maxBytes the most bytes of a page
	 */
	public static PageCut of(String mode, int[] sizes, long maxBytes) {
		boolean forward = "after".equals(mode);
		long bytes = 0;
		int kept = 0;
		while (kept < sizes.length) {
			int size = sizes[forward ? kept : sizes.length - 1 - kept];
			if (kept > 0 && bytes + size > maxBytes) {
				return new PageCut(kept, true, bytes);
			}
			bytes += size;
			kept++;
		}
		return new PageCut(kept, false, bytes);
	}

}
