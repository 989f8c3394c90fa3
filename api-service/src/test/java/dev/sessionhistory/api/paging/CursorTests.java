package dev.sessionhistory.api.paging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.CRC32;

import dev.sessionhistory.api.system.InvalidRequestException;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CursorTests {

	private static final String LIST = "/sessions/K7P2QX/archives";

	private static final Cursor CURSOR = new Cursor(Instant.parse("2026-11-24T07:13:53.619123Z"), 207499);

	@Test
	void aTokenDecodesToTheSamePositionInTheSameList() {
		for (Cursor cursor : new Cursor[] { CURSOR, new Cursor(Cursor.MIN, 0), new Cursor(Cursor.MAX, Long.MAX_VALUE),
				new Cursor(Instant.parse("1969-12-31T23:59:59.999999999Z"), Long.MIN_VALUE) }) {
			assertThat(Cursor.decode(cursor.encode(LIST), LIST)).isEqualTo(cursor);
		}
	}

	@Test
	void aTokenIsUnpaddedBase64UrlOfAVersionedText() {
		String token = CURSOR.encode(LIST);
		assertThat(token).matches("[A-Za-z0-9_-]+").hasSizeLessThan(100);
		assertThat(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII))
			.matches("1\\.[0-9a-f]{8}\\.1795504433\\.619123000\\.207499\\.[0-9a-f]{8}");
		assertThat(CURSOR.encode(LIST)).isEqualTo(token);
	}

	@Test
	void aCursorOfAnotherListIsRefused() {
		String token = CURSOR.encode("/sessions/OTHER/archives");
		assertThatInvalid(token, LIST).contains("another list");
	}

	@Test
	void everyTruncationOfATokenIsRefused() {
		String token = CURSOR.encode(LIST);
		for (int length = 1; length < token.length(); length++) {
			assertThatInvalid(token.substring(0, length), LIST).contains("altered or cut short");
		}
	}

	@Test
	void everyChangedCharacterOfATokenIsRefused() {
		String token = CURSOR.encode(LIST);
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		for (int i = 0; i < token.length(); i++) {
			for (char c : alphabet.toCharArray()) {
				if (c != token.charAt(i)) {
					String altered = token.substring(0, i) + c + token.substring(i + 1);
					assertThatInvalid(altered, LIST).contains("'cursor'");
				}
			}
		}
	}

	@Test
	void aTokenWithAValidChecksumButANonCanonicalFieldIsRefused() {
		for (String text : new String[] { "1.%s.01795504433.619123000.207499", "1.%s.+1795504433.619123000.207499",
				"1.%s.1795504433.619123000.-0", "1.%s.1795504433.1000000000.207499",
				"1.%s.1795504433.-1.207499", "1.%s.1795504433.619123000.9223372036854775808",
				"1.%s.253402300800.0.1", "1.%s.-62135596801.0.1", "1.%s.1795504433.619123000",
				"1.%s.1795504433.619123000.207499.5", "1.%s.1795504433.619123000.20 7499" }) {
			assertThatInvalid(token(text.formatted(crc(LIST))), LIST).as(text).contains("altered or cut short");
		}
	}

	@Test
	void aTokenOfAnotherVersionIsRefusedAsSuch() {
		assertThatInvalid(token("2.%s.1795504433.619123000.207499".formatted(crc(LIST))), LIST)
			.contains("another version");
	}

	@Test
	void malformedTokensAreRefused() {
		for (String token : new String[] { "x", "====", CURSOR.encode(LIST) + "=", "a+b/", "aGVsbG8",
				"a".repeat(201), "\u00e9t\u00e9", CURSOR.encode(LIST) + "A" }) {
			assertThatInvalid(token, LIST).as(token).contains("altered or cut short");
		}
		assertThatInvalid("", LIST).contains("must not be empty");
	}

	@Test
	void aCursorLiesInTheYearsOneTo9999() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Cursor(Cursor.MAX.plusNanos(1), 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new Cursor(Cursor.MIN.minusNanos(1), 1));
	}

	private static AbstractStringAssert<?> assertThatInvalid(String token, String list) {
		InvalidRequestException ex = catchThrowableOfType(InvalidRequestException.class,
				() -> Cursor.decode(token, list));
		assertThat(ex).as(token).isNotNull();
		return assertThat(ex.getBody().getDetail()).startsWith("'cursor' ");
	}

	/** A token of the given text with a correct check field, as a forger would write it. */
	private static String token(String text) {
		String checked = text + "." + crc(text);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(checked.getBytes(StandardCharsets.ISO_8859_1));
	}

	private static String crc(String text) {
		CRC32 crc = new CRC32();
		crc.update(text.getBytes(StandardCharsets.UTF_8));
		return "%08x".formatted(crc.getValue());
	}

}
