package dev.sessionhistory.reliability;

import java.util.List;

/**
 * Message data that exercises "byte for byte": escapes, non-ASCII text, surrogate pairs,
 * numbers written in unusual forms, nesting, JSON null.
 */
final class Payloads {

	private static final List<String> SHAPES = List.of("{\"n\":%d,\"text\":\"plain\"}",
			"{\"n\":%d,\"text\":\"h\\u00e9llo \\\"quoted\\\" \\\\ back\\/slash\\ttab\"}",
			"{\"n\":%d,\"text\":\"caf\u00e9 \u65e5\u672c \ud83d\ude00 \u2028\"}", "[%d,1.50,-0,1e3,2E-2,true,false,null]",
			"{\"n\":%d,\"deep\":{\"a\":[{\"b\":[[],{}]}],\"c\":null}}", "%d", "\"just a string %d\"",
			"{\"n\":%d,\"empty\":\"\",\"unicodeKey\\u0041\":1}");

	private Payloads() {
	}

	/** The data of message {@code n}: one of the shapes, chosen by {@code n}. */
	static String data(int n) {
		return String.format(SHAPES.get(Math.floorMod(n, SHAPES.size())), n);
	}

}
