package dev.sessionhistory.model;

import java.util.List;

/**
 * The reply of {@code slice.lua}.
 *
 * @param outcome its published word
 * @param entries for {@link Outcome#SLICE} the window's entries as stored (UTF-8 bytes,
 * untouched; empty past the end of the list), else empty
 * @param holder for {@link Outcome#LOST} the worker now holding the claim ({@code ""} for
 * none), else {@code null}
 */
public record SliceReply(Outcome outcome, List<byte[]> entries, String holder) {

	/** @throws IllegalStateException for anything the script never answers */
	public static SliceReply parse(Object reply) {
		List<?> values = ScriptReplies.tagged("slice.lua", reply);
		Outcome outcome = ScriptReplies.word("slice.lua", values.get(0), Outcome.class);
		if (outcome == Outcome.LOST) {
			ScriptReplies.size("slice.lua", values, 2);
			return new SliceReply(outcome, List.of(), ScriptReplies.text(values.get(1)));
		}
		return new SliceReply(outcome, ScriptReplies.byteList(values.subList(1, values.size())), null);
	}

	/** The published words of {@code slice.lua}. */
	public enum Outcome {

		/** The window, possibly empty. */
		SLICE,

		/** The claim is no longer the caller's: it must stop archiving. */
		LOST

	}

}
