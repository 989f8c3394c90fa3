package dev.sessionhistory.api.paging;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import dev.sessionhistory.api.system.InvalidRequestException;

/**
 * Where a page of a list ended: the sort time and the unique id of its last row, for keyset
 * paging of a list ordered by {@code (time, id)}. The next page is "the rows past this
 * position", found through an index without {@code OFFSET}, and rows added ahead of the
 * position never shift the pages behind it.
 * <p>
 * Clients see a cursor only as an opaque token: the unpadded base64url form of the text
 * {@code 1.<list>.<epoch seconds>.<nanos>.<id>.<check>}, where {@code 1} is the format's
 * version, {@code <list>} the CRC-32 of the name of the list that issued it and
 * {@code <check>} the CRC-32 of everything before it (both 8 lower-case hex digits). The
 * checksums are no secret and no signature: they only make a cursor that was altered, cut
 * short or taken from another list fail with a clear 400. A forged cursor can do no harm
 * either, as the list's own query (e.g. its code) chooses the rows; the cursor only moves
 * the position within them.
 *
 * @param time the sort time of the last row served
 * @param id the unique id of that row, which orders rows of the same time
 */
public record Cursor(Instant time, long id) {

	/** The query parameter that carries a cursor. */
	public static final String PARAMETER = "cursor";

	// Years 1 to 9999: what every database time type holds, and what no forged token exceeds.
	static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");

	static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

	private static final String VERSION = "1";

	// Far more than any token this class writes (about 90 characters at most).
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,200}");

	private static final Pattern CHECKSUM = Pattern.compile("[0-9a-f]{8}");

	public Cursor {
		Objects.requireNonNull(time, "time");
		if (time.isBefore(MIN) || time.isAfter(MAX)) {
			throw new IllegalArgumentException("A cursor's time lies in the years 1 to 9999, not at " + time);
		}
	}

	/**
	 * The token of this position in the given list.
	 * @param list names the list, and everything that selects its rows, e.g. its path
	 */
	public String encode(String list) {
		return token(checksum(list), this);
	}

	/**
	 * The position a token of the given list stands for; a 400 naming the parameter for
	 * anything else.
	 * @param token the token, as the client sent it
	 * @param list names the list, as it did for {@link #encode}
	 */
	public static Cursor decode(String token, String list) {
		if (token.isEmpty()) {
			throw invalid("must not be empty; leave it out for the first page");
		}
		if (!TOKEN.matcher(token).matches()) {
			throw malformed();
		}
		String[] fields = text(token).split("\\.", -1);
		if (!VERSION.equals(fields[0])) {
			throw fields[0].matches("[0-9]{1,3}")
					? invalid("was issued by another version of this API; start again without it") : malformed();
		}
		if (fields.length != 6 || !CHECKSUM.matcher(fields[1]).matches()) {
			throw malformed();
		}
		Cursor cursor = parse(fields[2], fields[3], fields[4]);
		// Writing the token again recomputes the check, so an altered or truncated token fails
		// here; so does any spelling but the canonical one (leading zeros, '+', padding bits):
		// a position has one token.
		if (!token.equals(token(fields[1], cursor))) {
			throw malformed();
		}
		if (!fields[1].equals(checksum(list))) {
			throw invalid("belongs to another list; use a cursor only with the list whose Link header gave it");
		}
		return cursor;
	}

	private static String text(String token) {
		try {
			// Every byte is a character in ISO-8859-1, so nothing is lost to be wrongly accepted.
			return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.ISO_8859_1);
		}
		catch (IllegalArgumentException ex) {
			throw malformed();
		}
	}

	private static Cursor parse(String seconds, String nanos, String id) {
		try {
			int nano = Integer.parseInt(nanos);
			if (nano < 0 || nano > 999_999_999) {
				throw malformed();
			}
			return new Cursor(Instant.ofEpochSecond(Long.parseLong(seconds), nano), Long.parseLong(id));
		}
		catch (IllegalArgumentException | DateTimeException | ArithmeticException ex) {
			// NumberFormatException is an IllegalArgumentException, and so is a time out of range
			throw malformed();
		}
	}

	private static String token(String listChecksum, Cursor cursor) {
		String text = VERSION + '.' + listChecksum + '.' + cursor.time.getEpochSecond() + '.' + cursor.time.getNano()
				+ '.' + cursor.id;
		text = text + '.' + checksum(text);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.ISO_8859_1));
	}

	private static String checksum(String text) {
		CRC32 crc = new CRC32();
		crc.update(text.getBytes(StandardCharsets.UTF_8));
		return "%08x".formatted(crc.getValue());
	}

	private static InvalidRequestException malformed() {
		return invalid("is not a valid cursor: it was altered or cut short; pass the cursor of a Link header"
				+ " unchanged, or leave it out for the first page");
	}

	private static InvalidRequestException invalid(String problem) {
		return new InvalidRequestException("'" + PARAMETER + "' " + problem);
	}

}
