package dev.sessionhistory.api.live;

import java.util.UUID;

import dev.sessionhistory.api.system.InvalidRequestException;

/**
 * Session ids in query parameters ({@code ?sessionId=}), which name one instance of a code.
 */
public final class SessionIds {

	private SessionIds() {
	}

	/**
	 * @return the id, or {@code null} when the parameter is absent
	 * @throws InvalidRequestException unless the value is a UUID in its canonical
	 * 36-character form (in either case)
	 */
	public static UUID parse(String value) {
		if (value == null) {
			return null;
		}
		try {
			UUID sessionId = UUID.fromString(value);
			// fromString also takes shortened groups ("1-1-1-1-1"), spellings no key is built with
			if (sessionId.toString().equalsIgnoreCase(value)) {
				return sessionId;
			}
		}
		catch (IllegalArgumentException ex) {
			// refused below
		}
		throw new InvalidRequestException("'sessionId' must be a UUID but was '" + value + "'");
	}

}
