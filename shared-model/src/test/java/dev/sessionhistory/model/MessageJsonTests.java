package dev.sessionhistory.model;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageJsonTests {

	@Test
	void unsequencedMessageIsCompactJsonWithEscapedStrings() {
		String json = MessageJson.unsequenced("m\"1", Instant.parse("2026-11-24T10:00:00Z"), "line\nbreak", null,
				"{\"text\":\"hi\"}");
		assertThat(json).isEqualTo("{\"id\":\"m\\\"1\",\"sentAt\":\"2026-11-24T10:00:00.000Z\","
				+ "\"sender\":\"line\\nbreak\",\"type\":null,\"data\":{\"text\":\"hi\"}}");
		assertThat(MessageJson.isObject(json)).isTrue();
	}

	@Test
	void controlCharactersAreEscaped() {
		String json = MessageJson.unsequenced("\u0001", Instant.EPOCH, null, null, "null");
		assertThat(json).startsWith("{\"id\":\"\\u0001\"");
		assertThat(MessageJson.isWellFormed(json)).isTrue();
	}

	@Test
	void wellFormedAcceptsExactlyOneJsonValue() {
		assertThat(MessageJson.isWellFormed("{\"a\":[1,2,{\"b\":null}]}")).isTrue();
		assertThat(MessageJson.isWellFormed("42")).isTrue();
		assertThat(MessageJson.isWellFormed("{\"a\":1")).isFalse();
		assertThat(MessageJson.isWellFormed("{} {}")).isFalse();
		assertThat(MessageJson.isWellFormed("not json")).isFalse();
		assertThat(MessageJson.isWellFormed("")).isFalse();
		assertThat(MessageJson.isObject("[1]")).isFalse();
	}

	@Test
	void hugeNumbersAndDeepNestingAreStillWellFormed() {
		assertThat(MessageJson.isObject("{\"n\":" + "9".repeat(5000) + "}")).isTrue();
		assertThat(MessageJson.isObject("{\"d\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}")).isTrue();
		assertThat(MessageJson.isObject("{\"d\":" + "[".repeat(10_000) + "]".repeat(9_999) + "}")).isFalse();
	}

}
