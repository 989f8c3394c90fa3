package dev.sessionhistory.api.gallery;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import dev.sessionhistory.api.system.InvalidRequestException;

/**
 * How an export frames the stored messages: a JSON array (what the {@code messages} of the
 * history's pages make, joined), or one message per line ({@link OneLine}).
 */
enum ExportFormat {

	JSON("application/json", "json", "[", ",", "", "]"),

	NDJSON("application/x-ndjson", "ndjson", "", "", "\n", "");

	private final String mediaType;

	private final String extension;

	private final byte[] open;

	private final byte[] between;

	private final byte[] after;

	private final byte[] close;

	ExportFormat(String mediaType, String extension, String open, String between, String after, String close) {
		this.mediaType = mediaType;
		this.extension = extension;
		this.open = open.getBytes(StandardCharsets.US_ASCII);
		this.between = between.getBytes(StandardCharsets.US_ASCII);
		this.after = after.getBytes(StandardCharsets.US_ASCII);
		this.close = close.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * The format of the {@code format} parameter; {@code json} when absent.
	 * @throws InvalidRequestException for any other
	 */
	static ExportFormat of(String value) {
		if (value == null || value.equals("json")) {
			return JSON;
		}
		if (value.equals("ndjson")) {
			return NDJSON;
		}
		throw new InvalidRequestException("'format' must be json or ndjson, got '" + value + "'");
	}

	/** Where a message's bytes go: {@code out} itself, or for NDJSON {@code out} on one line. */
	OutputStream messages(OutputStream out) {
		return (this == NDJSON) ? new OneLine(out) : out;
	}

	String mediaType() {
		return this.mediaType;
	}

	String extension() {
		return this.extension;
	}

	/** Before the first message. */
	byte[] open() {
		return this.open;
	}

	/** Between two messages. */
	byte[] between() {
		return this.between;
	}

	/** After every message. */
	byte[] after() {
		return this.after;
	}

	/** After the last message. */
	byte[] close() {
		return this.close;
	}

}
