package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;
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
		assertThat(StoredEntries.isStorableObject(json.getBytes(StandardCharsets.UTF_8))).isTrue();
	}

	@Test
	void controlCharactersAreEscaped() {
		String json = MessageJson.unsequenced("\u0001", Instant.EPOCH, null, null, "null");
		assertThat(json).startsWith("{\"id\":\"\\u0001\"");
		assertThat(StoredEntries.isStorableObject(json.getBytes(StandardCharsets.UTF_8))).isTrue();
	}

}
