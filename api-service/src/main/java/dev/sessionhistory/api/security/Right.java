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

	static Right of(String name) {
		for (Right right : values()) {
			if (right.wire().equals(name)) {
				return right;
			}
		}
		throw new IllegalArgumentException("'" + name + "' is no right: read, append or end");
	}

	/** The wire names, in the order read, append, end. */
	public static List<String> wire(Set<Right> rights) {
		return rights.stream().sorted().map(Right::wire).toList();
	}

}
