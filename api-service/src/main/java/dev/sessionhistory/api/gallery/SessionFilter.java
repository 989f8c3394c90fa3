package dev.sessionhistory.api.gallery;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.UserIds;
import org.jspecify.annotations.Nullable;

/**
 * What the gallery's list is filtered by, from its query parameters; every parameter is
 * checked, and an unknown one is refused, so that a typo is a {@code 400} rather than a
 * silently unfiltered list.
 *
 * @param code the exact code
 * @param codePrefix the start of the code
 * @param userId a user who owns or participates in the session
 * @param createdAfter created at or after
 * @param createdBefore created before
 * @param endedAfter ended at or after
 * @param endedBefore ended before
 * @param endReason {@code ended} or {@code expired}
 * @param status which sessions: live, ended (waiting for the archive), archived, or all
 * @param minMessages at least this many messages
 * @param maxMessages at most this many messages
 */
public record SessionFilter(@Nullable String code, @Nullable String codePrefix, @Nullable String userId,
		@Nullable Instant createdAfter, @Nullable Instant createdBefore, @Nullable Instant endedAfter,
		@Nullable Instant endedBefore, @Nullable String endReason, Status status, @Nullable Long minMessages,
		@Nullable Long maxMessages) {

	/** The parameters of paging, which the filter leaves to {@code PageQuery}. */
	static final Set<String> PAGING = Set.of("limit", "cursor");

	/** Which sessions a list holds. */
	public enum Status {

		LIVE, ENDED, ARCHIVED, ALL;

		boolean inRedis() {
			return this == LIVE || this == ENDED || this == ALL;
		}

		boolean archived() {
			return this == ARCHIVED || this == ALL;
		}

	}

	/**
	 * The filter of the query parameters.
	 * @throws InvalidRequestException naming the parameter, for a bad or unknown one
	 */
	static SessionFilter of(Map<String, String> parameters) {
		for (String name : parameters.keySet()) {
			if (!PAGING.contains(name) && !NAMES.contains(name)) {
				throw new InvalidRequestException("'" + name + "' is no filter of this list; the filters are "
						+ String.join(", ", new java.util.TreeSet<>(NAMES)));
			}
		}
		String code = code("code", parameters.get("code"));
		String prefix = code("codePrefix", parameters.get("codePrefix"));
		if (code != null && prefix != null) {
			throw new InvalidRequestException("'code' and 'codePrefix' exclude each other");
		}
		String user = parameters.get("userId");
		if (user != null && !UserIds.isValid(user)) {
			throw new InvalidRequestException(
					"'userId' must be 1 to 256 bytes of UTF-8 without control characters");
		}
		String reason = parameters.get("endReason");
		if (reason != null && !reason.equals("ended") && !reason.equals("expired")) {
			throw new InvalidRequestException("'endReason' must be ended or expired, got '" + reason + "'");
		}
		Long min = count("minMessages", parameters.get("minMessages"));
		Long max = count("maxMessages", parameters.get("maxMessages"));
		if (min != null && max != null && min > max) {
			throw new InvalidRequestException("'minMessages' is above 'maxMessages'");
		}
		return new SessionFilter(code, prefix, user, time("createdAfter", parameters.get("createdAfter")),
				time("createdBefore", parameters.get("createdBefore")), time("endedAfter", parameters.get("endedAfter")),
				time("endedBefore", parameters.get("endedBefore")), reason, status(parameters.get("status")), min, max);
	}

	private static final Set<String> NAMES = Set.of("code", "codePrefix", "userId", "createdAfter", "createdBefore",
			"endedAfter", "endedBefore", "endReason", "status", "minMessages", "maxMessages");

	/** Whether a session that has not ended can match: no end is asked for. */
	boolean admitsLive() {
		return this.endedAfter == null && this.endedBefore == null && this.endReason == null;
	}

	/** The filters as a canonical text, naming the list a cursor belongs to. */
	String describe() {
		Map<String, Object> values = new TreeMap<>();
		values.put("code", this.code);
		values.put("codePrefix", this.codePrefix);
		values.put("userId", this.userId);
		values.put("createdAfter", this.createdAfter);
		values.put("createdBefore", this.createdBefore);
		values.put("endedAfter", this.endedAfter);
		values.put("endedBefore", this.endedBefore);
		values.put("endReason", this.endReason);
		values.put("status", this.status);
		values.put("minMessages", this.minMessages);
		values.put("maxMessages", this.maxMessages);
		StringJoiner text = new StringJoiner("&");
		values.forEach((name, value) -> {
			if (value != null) {
				text.add(name + "=" + value);
			}
		});
		return text.toString();
	}

	private static String code(String name, String value) {
		if (value == null) {
			return null;
		}
		if (!RedisKeys.isValidCode(value)) {
			throw new InvalidRequestException("'" + name + "' must match ^[A-Za-z0-9_-]{1,64}$, got '" + value + "'");
		}
		return value;
	}

	private static Long count(String name, String value) {
		if (value == null) {
			return null;
		}
		if (!value.matches("[0-9]{1,10}")) {
			throw new InvalidRequestException("'" + name + "' must be a count from 0 to 9999999999, got '" + value + "'");
		}
		return Long.parseLong(value);
	}

	private static Instant time(String name, String value) {
		if (value == null) {
			return null;
		}
		try {
			Instant instant = Instant.parse(value);
			if (instant.isBefore(Instant.parse("0001-01-01T00:00:00Z"))
					|| instant.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
				throw new DateTimeParseException("out of range", value, 0);
			}
			return instant;
		}
		catch (DateTimeParseException ex) {
			throw new InvalidRequestException("'" + name + "' must be an ISO-8601 instant such as "
					+ "2026-12-01T09:30:00Z, got '" + value + "'");
		}
	}

	private static Status status(String value) {
		if (value == null) {
			return Status.ALL;
		}
		return switch (value) {
			case "live" -> Status.LIVE;
			case "ended" -> Status.ENDED;
			case "archived" -> Status.ARCHIVED;
			case "all" -> Status.ALL;
			default -> throw new InvalidRequestException(
					"'status' must be live, ended, archived or all, got '" + value + "'");
		};
	}

}
