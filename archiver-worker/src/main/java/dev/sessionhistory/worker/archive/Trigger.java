package dev.sessionhistory.worker.archive;

/**
 * What made the worker look at a session: the tag of the archive metrics and logs.
 */
public enum Trigger {

	/** A keyspace {@code expired} event for the session's live key. */
	EVENT("event"),

	/** An explicit end published on the events channel. */
	END("end"),

	/** The periodic sweep of the {@code due} index, start-up catch-up included. */
	SWEEP("sweep");

	private final String tag;

	Trigger(String tag) {
		this.tag = tag;
	}

	public String tag() {
		return this.tag;
	}

}
