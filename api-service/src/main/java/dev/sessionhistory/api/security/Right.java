package dev.sessionhistory.api.security;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a holder of a session may do with it: read its history, append to it, end it.
 */
public enum Right {

	READ, APPEND, END;

	/** The name in tokens, requests and the layout: {@code read}, {@code append}, {@code end}. */
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The rights named in {@code names}, at least one.
	 * @throws IllegalArgumentException for an unknown name or none at all
	 */
	public static Set<Right> parse(List<?> names) {
		if (names == null || names.isEmpty()) {
			throw new IllegalArgumentException("at least one of read, append, end is needed");
		}
		Set<Right> rights = EnumSet.noneOf(Right.class);
		for (Object name : names) {
			rights.add(of(String.valueOf(name)));
		}
		return rights;
	}

	/**
	 * The rights of a stored rights text (a comma-separated subset of {@code read,append,end},
	 * as the users hash and {@code session_participant} keep them); none for {@code null} or
	 * for a text that is none of those (a foreign writer's), which grants nothing.
	 */
	public static Set<Right> stored(String text) {
		if (text == null || text.isEmpty()) {
			return Set.of();
		}
		Set<Right> rights = EnumSet.noneOf(Right.class);
		for (String name : text.split(",", -1)) {
			Right right = find(name);
			if (right == null) {
				return Set.of();
			}
			rights.add(right);
		}
		return rights;
	}

	private static Right find(String name) {
		for (Right right : values()) {
			if (right.wire().equals(name)) {
				return right;
			}
		}
		return null;
	}

	static Right of(String name) {
		Right right = find(name);
		if (right != null) {
			return right;
		}
		throw new IllegalArgumentException("'" + name + "' is no right: read, append or end");
	}

	/** The wire names, in the order read, append, end. */
	public static List<String> wire(Set<Right> rights) {
		return rights.stream().sorted().map(Right::wire).toList();
	}

}
