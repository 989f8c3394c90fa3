package dev.sessionhistory.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One entry of an instance's users hash ({@link RedisKeys#participants}): a user who
 * appended or joined, and what they may do. Rights are a comma-separated subset of
 * {@value #READ}, {@value #APPEND} and {@value #END}, in that order, as stored; the owner
 * (meta field {@code owner}) holds all of them and is no entry of the hash.
 *
 * @param userId the user ({@link UserIds})
 * @param rights the rights as stored, e.g. {@code read,append}
 */
public record Participant(String userId, String rights) {

	public static final String READ = "read";

	public static final String APPEND = "append";

	public static final String END = "end";

	/** The rights in their order. */
	public static final List<String> RIGHTS = List.of(READ, APPEND, END);

	/** The rights of a user who appended without joining first. */
	public static final String READ_APPEND = READ + "," + APPEND;

	/** The owner's rights, every one. */
	public static final String ALL = String.join(",", RIGHTS);

	/** @throws IllegalArgumentException for an invalid user id or rights */
	public Participant {
		UserIds.check("A participant's user id", userId);
		if (!isValidRights(rights)) {
			throw new IllegalArgumentException("The rights of participant '" + userId + "' must be a comma-separated "
					+ "subset of " + ALL + " in that order, got '" + rights + "'");
		}
	}

	/** Whether the participant holds {@code right}. */
	public boolean has(String right) {
		return List.of(this.rights.split(",")).contains(right);
	}

	/** Whether {@code rights} is a non-empty comma-separated subset of {@link #RIGHTS}, in order. */
	public static boolean isValidRights(String rights) {
		if (rights == null || rights.isEmpty()) {
			return false;
		}
		List<String> remaining = new ArrayList<>(RIGHTS);
		for (String word : rights.split(",", -1)) {
			int at = remaining.indexOf(word);
			if (at < 0) {
				return false;
			}
			remaining.subList(0, at + 1).clear();
		}
		return true;
	}

	/** Rights in their stored form. */
	public static String rights(Set<String> rights) {
		return String.join(",", RIGHTS.stream().filter(rights::contains).toList());
	}

}
