package dev.sessionhistory.worker.archive;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTextTests {

	@Test
	void wellFormedObjectsAreStorable() {
		assertThat(JsonText.isStorableObject("{\"seq\":1,\"data\":{\"a\":[1,2,null]}}")).isTrue();
		assertThat(JsonText.isStorableObject("{\"emoji\":\"\\ud83d\\ude00\",\"escaped\":\"a\\\\u0000\"}")).isTrue();
	}

	@Test
	void textThatIsNotAnObjectIsNotStorable() {
		assertThat(JsonText.isStorableObject("not json")).isFalse();
		assertThat(JsonText.isStorableObject("[1,2]")).isFalse();
		assertThat(JsonText.isStorableObject("\"text\"")).isFalse();
		assertThat(JsonText.isStorableObject("{\"a\":1}{\"b\":2}")).isFalse();
		assertThat(JsonText.isStorableObject("{\"a\":1")).isFalse();
	}

	@Test
	void escapesJsonbRefusesAreNotStorable() {
		assertThat(JsonText.isStorableObject("{\"a\":\"x\\u0000y\"}")).isFalse();
		assertThat(JsonText.isStorableObject("{\"a\":\"\\ud800\"}")).isFalse();
		assertThat(JsonText.isStorableObject("{\"a\":\"\\udc00\\ud800\"}")).isFalse();
		assertThat(JsonText.isStorableObject("{\"a\":\"\\ud83dx\"}")).isFalse();
		assertThat(JsonText.isStorableObject("{\"\\u0000\":1}")).isFalse();
	}

	@Test
	void whatJsonbCannotHoldIsNotStorable() {
		assertThat(JsonText.isStorableObject("{\"n\":1e131071}")).isTrue();
		assertThat(JsonText.isStorableObject("{\"n\":1e131072}")).isFalse();
		assertThat(JsonText.isStorableObject("{\"n\":1e2147483647}")).isFalse();
		assertThat(JsonText.isStorableObject("{\"n\":1e99999999999}")).isFalse();
		assertThat(JsonText.isStorableObject("{\"d\":" + "[".repeat(999) + "]".repeat(999) + "}")).isTrue();
		assertThat(JsonText.isStorableObject("{\"d\":" + "[".repeat(1000) + "]".repeat(1000) + "}")).isFalse();
		assertThat(JsonText.isStorableObject(null)).isFalse();
	}

	@Test
	void malformedEntriesKeepTheirRawTextAsAJsonString() {
		assertThat(JsonText.malformedMessage(3, "he said \"hi\"\n\\"))
			.isEqualTo("{\"seq\":3,\"malformed\":true,\"raw\":\"he said \\\"hi\\\"\\n\\\\\"}");
		assertThat(JsonText.malformedMessage(1, "a\u0000b\u0001")).isEqualTo(
				"{\"seq\":1,\"malformed\":true,\"raw\":\"a\\\\u0000b\\u0001\"}");
		assertThat(JsonText.malformedObject("{oops")).isEqualTo("{\"malformed\":true,\"raw\":\"{oops\"}");
		assertThat(JsonText.isStorableObject(JsonText.malformedMessage(2, "x\u0000\uD83D\uDE00"))).isTrue();
	}

}
