package dev.sessionhistory.api.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonArrayIndexTests {

	@Test
	void findsTopLevelElementsWithoutBeingFooledByStringsOrNesting() {
		String json = "[{\"seq\":1,\"data\":\"a,]\\\"}[\"},{\"seq\":2,\"data\":[1,{\"x\":[]}]},\"caf\u00e9 \ud83d\ude00\",42,null]";
		assertThat(elements(json)).containsExactly("{\"seq\":1,\"data\":\"a,]\\\"}[\"}",
				"{\"seq\":2,\"data\":[1,{\"x\":[]}]}", "\"caf\u00e9 \ud83d\ude00\"", "42", "null");
	}

	@Test
	void toleratesWhitespaceAroundElements() {
		assertThat(elements(" [ 1 ,\n{\"a\" : 2}\t]")).containsExactly("1", "{\"a\" : 2}");
		assertThat(elements("[]")).isEmpty();
		assertThat(elements(" [ ] ")).isEmpty();
	}

	@Test
	void anEscapedBackslashEndsTheEscape() {
		assertThat(elements("[\"a\\\\\",\"b\"]")).containsExactly("\"a\\\\\"", "\"b\"");
	}

	@Test
	void refusesWhatIsNotAnArray() {
		assertThatIllegalArgumentException().isThrownBy(() -> JsonArrayIndex.of(bytes("{}")));
		assertThatIllegalArgumentException().isThrownBy(() -> JsonArrayIndex.of(bytes("[1,2")));
		assertThatIllegalArgumentException().isThrownBy(() -> JsonArrayIndex.of(bytes("")));
	}

	private static List<String> elements(String json) {
		byte[] bytes = bytes(json);
		int[] bounds = JsonArrayIndex.of(bytes);
		List<String> elements = new ArrayList<>();
		for (int i = 0; i < bounds.length; i += 2) {
			elements.add(new String(bytes, bounds[i], bounds[i + 1] - bounds[i], StandardCharsets.UTF_8));
		}
		return elements;
	}

	private static byte[] bytes(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

}
