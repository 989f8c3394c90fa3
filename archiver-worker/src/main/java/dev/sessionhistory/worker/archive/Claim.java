package dev.sessionhistory.worker.archive;

import java.util.List;

import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;

/**
 * The answer of the claim script for one instance.
 *
 * @param ref the instance
 * @param status {@code LIVE}, {@code GONE}, {@code BUSY}, {@code CLAIMED}, or
 * {@code ERROR} when Redis answered with an error (data of the wrong type)
 * @param remainingMillis for {@code LIVE}: the live key's remaining TTL
 * @param meta for {@code CLAIMED}: the meta values in {@link SessionMeta#FIELDS} order
 * @param messages for {@code CLAIMED}: the message list
 * @param detail for {@code BUSY} the holder, for {@code ERROR} the error
 */
record Claim(SessionRef ref, String status, long remainingMillis, List<String> meta, List<String> messages,
		String detail) {

	static final String LIVE = "LIVE";

	static final String GONE = "GONE";

	static final String BUSY = "BUSY";

	static final String CLAIMED = "CLAIMED";

	static final String ERROR = "ERROR";

	/** The size of the claimed messages, in UTF-16 units: about their bytes. */
	long bytes() {
		long bytes = 0;
		for (String message : this.messages) {
			bytes += message.length();
		}
		return bytes;
	}

	/** Reads one reply of the claim script, as decoded by {@link Pipeline}. */
	@SuppressWarnings("unchecked")
	static Claim of(SessionRef ref, Object reply) {
		if (!(reply instanceof List<?> values) || values.isEmpty()) {
			String detail = (reply instanceof Throwable ex) ? String.valueOf(rootCause(ex).getMessage()) : String.valueOf(reply);
			return new Claim(ref, ERROR, 0, List.of(), List.of(), detail);
		}
		String status = String.valueOf(values.get(0));
		return switch (status) {
			case LIVE -> new Claim(ref, LIVE, ((Number) values.get(1)).longValue(), List.of(), List.of(), null);
			case BUSY -> new Claim(ref, BUSY, 0, List.of(), List.of(), String.valueOf(values.get(1)));
			case CLAIMED -> {
				int fields = SessionMeta.FIELDS.size();
				List<String> strings = (List<String>) values;
				yield new Claim(ref, CLAIMED, 0, strings.subList(1, 1 + fields),
						strings.subList(1 + fields, strings.size()), null);
			}
			default -> new Claim(ref, status, 0, List.of(), List.of(), null);
		};
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
