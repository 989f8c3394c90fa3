package dev.sessionhistory.model;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The form of a user id, as layouts 3 and 4 store owners and participants: opaque text (a
 * token's subject, such as {@code auth0|abc} or {@code google-oauth2|1/2}) of 1 to
 * {@value #MAX_BYTES} bytes of UTF-8 without control characters (below U+0020, and
 * U+007F). The scripts check the same form ({@code check_user_id} of {@code layout.lua}).
 */
public final class UserIds {

	/** The most UTF-8 bytes of a user id. */
	public static final int MAX_BYTES = 256;

	private UserIds() {
	}

	/** Whether {@code value} is a user id the layout stores. */
	public static boolean isValid(String value) {
		if (value == null || value.isEmpty() || value.length() > MAX_BYTES) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c == 0x7F) {
				return false;
			}
		}
		try {
			// reports a lone surrogate, which getBytes would silently turn into '?'
			ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(value));
			return bytes.remaining() <= MAX_BYTES;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	/**
	 * @return {@code value}
	 * @throws IllegalArgumentException naming {@code what} if it is no valid user id
	 */
	public static String check(String what, String value) {
		if (!isValid(value)) {
			throw new IllegalArgumentException(what + " must be 1 to " + MAX_BYTES
					+ " bytes of UTF-8 without control characters, got '" + abbreviate(value) + "'");
		}
		return value;
	}

	private static String abbreviate(String value) {
		return (value != null && value.length() > 64) ? value.substring(0, 64) + "…" : String.valueOf(value);
	}

}
