package dev.sessionhistory.api.message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.sessionhistory.api.RequestJson;
import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.MessageJson;
import dev.sessionhistory.model.StoredEntries;
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
	void refusesNumbersBeyondJsonbSayingSo() {
		for (String number : new String[] { "1e99999999999", "1e2147483647", "-1e2147483648", "1e-99999999999",
				"0e99999999999999999999", "1e131072", "1e-16384" }) {
			for (String body : new String[] { "{\"data\":" + number + "}", "{\"data\":[1,{\"n\":" + number + "}]}" }) {
				assertThatExceptionOfType(InvalidRequestException.class).as(body)
					.isThrownBy(() -> parse(body))
					.withMessageContaining("out of the storable range");
			}
		}
		assertThat(parse("{\"data\":1e131071}").data()).isEqualTo("1e131071");
		assertThat(parse("{\"data\":[0e1073741822,-0.0]}").data()).isEqualTo("[0e1073741822,-0.0]");
	}

	@Test
	void everyAcceptedMessageIsStoredAsAnEntryTheArchiveKeepsAsItIs() {
		RequestJson values = new RequestJson(20261124L);
		int accepted = 0;
		int refused = 0;
		for (int i = 0; i < 3000; i++) {
			String body = "{\"id\":\"m" + i + "\",\"sender\":" + values.value() + ", \"data\" : " + values.value() + "}";
			MessageRequest request;
			try {
				request = parse(body);
			}
			catch (InvalidRequestException ex) {
				refused++;
				continue;
			}
			// as the append script stores it
			String entry = "{\"seq\":" + (i + 1) + ","
					+ MessageJson.unsequenced(request.id(), Instant.EPOCH, request.sender(), request.type(), request.data())
						.substring(1);
			assertThat(StoredEntries.isStorableObject(entry.getBytes(StandardCharsets.UTF_8))).as(body).isTrue();
			accepted++;
		}
		assertThat(accepted).isGreaterThan(500);
		assertThat(refused).isGreaterThan(500);
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

	@Test
	void refusesATopLevelUserIdWhichOnlyTheServiceStamps() {
		for (String body : new String[] { "{\"userId\":\"u1\",\"data\":1}", "{\"data\":1,\"userId\":null}",
				"{\"user\\u0049d\":\"u1\",\"data\":1}" }) {
			assertThatExceptionOfType(InvalidRequestException.class).as(body)
				.isThrownBy(() -> parse(body))
				.withMessageContaining("'userId'");
		}
		assertThat(parse("{\"data\":{\"userId\":\"u1\"}}").data()).isEqualTo("{\"userId\":\"u1\"}");
	}

	private static MessageRequest parse(String body) {
		return MessageRequest.parse(body.getBytes(StandardCharsets.UTF_8));
	}

}
