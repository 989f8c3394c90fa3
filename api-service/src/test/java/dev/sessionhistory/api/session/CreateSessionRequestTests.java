package dev.sessionhistory.api.session;

import java.nio.charset.StandardCharsets;

import dev.sessionhistory.api.system.InvalidRequestException;
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
	void generatedCodesUseTheReadableAlphabet() {
		for (int i = 0; i < 200; i++) {
			assertThat(SessionCodes.generate()).matches("^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$");
		}
	}

	private static CreateSessionRequest parse(String body) {
		return CreateSessionRequest.parse(body.getBytes(StandardCharsets.UTF_8));
	}

}
