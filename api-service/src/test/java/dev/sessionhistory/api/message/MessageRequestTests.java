package dev.sessionhistory.api.message;

import java.nio.charset.StandardCharsets;

import dev.sessionhistory.api.system.InvalidRequestException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MessageRequestTests {

	@Test
	void dataIsCompactedWithNumbersAndStringsAsWritten() {
		MessageRequest request = parse(
				"{ \"id\": \"m1\", \"sender\": \"u\", \"type\": null, \"extra\": [1], \"data\": { \"n\" : [ 2.50 , 1e2, -0 ], \"s\": \"caf\u00e9\" } }");
		assertThat(request.id()).isEqualTo("m1");
		assertThat(request.sender()).isEqualTo("u");
		assertThat(request.type()).isNull();
		assertThat(request.data()).isEqualTo("{\"n\":[2.50,1e2,-0],\"s\":\"caf\u00e9\"}");
	}

	@Test
	void anyJsonValueIsData() {
		assertThat(parse("{\"data\":null}").data()).isEqualTo("null");
		assertThat(parse("{\"data\":\"x\"}").data()).isEqualTo("\"x\"");
		assertThat(parse("{\"data\":[]}").data()).isEqualTo("[]");
		assertThat(parse("{\"data\":false}").data()).isEqualTo("false");
		assertThat(parse("{\"data\":\"\\ud83d\\ude00\"}").data()).isEqualTo("\"\ud83d\ude00\"");
	}

	@Test
	void refusesWhatTheArchiveCouldNotStore() {
		for (String body : new String[] { "{\"data\":\"\\u0000\"}", "{\"data\":{\"\\u0000\":1}}",
				"{\"data\":\"\\udc00\"}", "{\"data\":\"\\ud800x\"}", "{\"data\":1e131073}", "{\"data\":1e-16384}",
				"{\"type\":\"\\u0000\",\"data\":1}" }) {
			assertThatExceptionOfType(InvalidRequestException.class).as(body).isThrownBy(() -> parse(body));
		}
		assertThat(parse("{\"data\":1e-16383}").data()).isEqualTo("1e-16383");
	}

	@Test
	void refusesMalformedRequests() {
		for (String body : new String[] { "", "null", "[]", "{}", "{\"data\":1", "{\"data\":1}{}", "{\"data\":1,\"data\":2}",
				"{\"id\":1,\"data\":1}", "{\"id\":\"\",\"data\":1}", "{\"id\":\"" + "i".repeat(65) + "\",\"data\":1}",
				"{\"data\":'x'}", "{\"data\":01}" }) {
			assertThatExceptionOfType(InvalidRequestException.class).as(body).isThrownBy(() -> parse(body));
		}
		assertThat(parse("{\"id\":\"" + "i".repeat(64) + "\",\"data\":1}").id()).hasSize(64);
	}

	private static MessageRequest parse(String body) {
		return MessageRequest.parse(body.getBytes(StandardCharsets.UTF_8));
	}

}
