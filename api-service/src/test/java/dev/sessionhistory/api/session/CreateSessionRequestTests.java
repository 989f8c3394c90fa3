package dev.sessionhistory.api.session;

import java.nio.charset.StandardCharsets;

import dev.sessionhistory.api.RequestJson;
import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.StoredEntries;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CreateSessionRequestTests {

	@Test
	void anEmptyBodyOrObjectAsksForDefaults() {
		assertThat(parse("")).isEqualTo(CreateSessionRequest.EMPTY);
		assertThat(parse("{}")).isEqualTo(CreateSessionRequest.EMPTY);
		assertThat(parse("{\"code\":null,\"ttlSeconds\":null,\"metadata\":null,\"other\":{}}"))
			.isEqualTo(CreateSessionRequest.EMPTY);
	}

	@Test
	void metadataIsKeptAsCompactText() {
		CreateSessionRequest request = parse("{\"code\":\"K7P2QX\",\"ttlSeconds\":600,\"metadata\":{ \"a\" : [1.0] }}");
		assertThat(request).isEqualTo(new CreateSessionRequest("K7P2QX", 600L, "{\"a\":[1.0]}"));
	}

	@Test
	void refusesMalformedBodies() {
		for (String body : new String[] { "[]", "{\"metadata\":1}", "{\"ttlSeconds\":1.0}",
				"{\"ttlSeconds\":123456789012345678901234}", "{\"code\":[]}", "{" }) {
			assertThatExceptionOfType(InvalidRequestException.class).as(body).isThrownBy(() -> parse(body));
		}
	}

	@Test
	void refusesMetadataNumbersBeyondJsonbSayingSo() {
		for (String number : new String[] { "1e99999999999", "1e2147483647", "-1e2147483648", "1e131072" }) {
			for (String body : new String[] { "{\"metadata\":{\"n\":" + number + "}}",
					"{\"metadata\":{\"a\":[{\"n\":" + number + "}]}}" }) {
				assertThatExceptionOfType(InvalidRequestException.class).as(body)
					.isThrownBy(() -> parse(body))
					.withMessageContaining("out of the storable range");
			}
		}
		assertThat(parse("{\"metadata\":{\"n\":1e131071}}").metadata()).isEqualTo("{\"n\":1e131071}");
	}

	@Test
	void everyAcceptedMetadataIsAnObjectTheArchiveKeepsAsItIs() {
		RequestJson values = new RequestJson(20261125L);
		int accepted = 0;
		int refused = 0;
		for (int i = 0; i < 3000; i++) {
			String body = "{\"metadata\":" + values.object() + "}";
			CreateSessionRequest request;
			try {
				request = parse(body);
			}
			catch (InvalidRequestException ex) {
				refused++;
				continue;
			}
			assertThat(StoredEntries.isStorableObject(request.metadata().getBytes(StandardCharsets.UTF_8))).as(body)
				.isTrue();
			accepted++;
		}
		assertThat(accepted).isGreaterThan(500);
		assertThat(refused).isGreaterThan(300);
	}

	@Test
	void generatedCodesUseTheReadableAlphabet() {
		for (int i = 0; i < 200; i++) {
			assertThat(SessionCreator.generateCode()).matches("^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$");
		}
	}

	private static CreateSessionRequest parse(String body) {
		return CreateSessionRequest.parse(body.getBytes(StandardCharsets.UTF_8));
	}

}
