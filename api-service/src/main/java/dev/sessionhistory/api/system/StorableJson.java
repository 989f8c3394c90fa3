package dev.sessionhistory.api.system;

import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import dev.sessionhistory.model.StoredEntries;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads request JSON into the compact text that is stored, refusing what the archive could
 * not keep: every acknowledged message must fit PostgreSQL's {@code jsonb}, which has no
 * room for U+0000, unpaired surrogates or numbers beyond its {@code numeric} range.
 * Numbers are copied as written, never through a {@code double}. What this accepts, built
 * into a message, is an entry {@link StoredEntries#isStorableObject} passes, so the
 * archive keeps every acknowledged message as it is.
 */
public final class StorableJson {

	private static final JsonFactory JSON = JsonFactory.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private StorableJson() {
	}

	/** A parser over a request body; parse errors surface as {@link InvalidRequestException}. */
	private static JsonParser parser(byte[] body) {
		return JSON.createParser(ObjectReadContext.empty(), body);
	}

	/**
	 * Runs {@code parsing}, turning malformed JSON into a 400.
	 */
	public static <T> T parse(byte[] body, Parsing<T> parsing) {
		requireUtf8(body);
		try (JsonParser parser = parser(body)) {
			T result = parsing.parse(parser);
			if (parser.nextToken() != null) {
				throw new InvalidRequestException("Malformed JSON: unexpected content after the top-level value");
			}
			return result;
		}
		catch (JacksonException ex) {
			throw new InvalidRequestException("Malformed JSON: " + ex.getOriginalMessage());
		}
	}

	/** JSON is UTF-8 (RFC 8259); the parser alone lets some broken sequences through. */
	private static void requireUtf8(byte[] body) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body));
		}
		catch (CharacterCodingException ex) {
			throw new InvalidRequestException("The body is not valid UTF-8");
		}
	}

	/**
	 * Copies the value at the parser's current token as compact JSON and leaves the parser
	 * on its last token.
	 */
	public static String copyValue(JsonParser parser) {
		StringWriter out = new StringWriter();
		try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
			int depth = 0;
			do {
				JsonToken token = parser.currentToken();
				switch (token) {
					case START_OBJECT -> {
						generator.writeStartObject();
						depth++;
					}
					case START_ARRAY -> {
						generator.writeStartArray();
						depth++;
					}
					case END_OBJECT -> {
						generator.writeEndObject();
						depth--;
					}
					case END_ARRAY -> {
						generator.writeEndArray();
						depth--;
					}
					case PROPERTY_NAME -> generator.writeName(requireStorable(parser.currentName(), "A property name"));
					case VALUE_STRING -> generator.writeString(requireStorable(parser.getString(), "A string"));
					case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(requireStorableNumber(parser.getString()));
					case VALUE_TRUE -> generator.writeBoolean(true);
					case VALUE_FALSE -> generator.writeBoolean(false);
					case VALUE_NULL -> generator.writeNull();
					default -> throw new InvalidRequestException("Malformed JSON: unexpected " + token);
				}
			}
			while (depth > 0 && parser.nextToken() != null);
		}
		return out.toString();
	}

	/**
	 * The string value at the parser's current token.
	 * @throws InvalidRequestException unless it is a string the archive can store
	 */
	public static String string(JsonParser parser, String field) {
		if (parser.currentToken() != JsonToken.VALUE_STRING) {
			throw new InvalidRequestException("'" + field + "' must be a string");
		}
		return requireStorable(parser.getString(), "'" + field + "'");
	}

	/**
	 * @return {@code value} when PostgreSQL's jsonb can hold it
	 * @throws InvalidRequestException for U+0000 or an unpaired surrogate
	 */
	private static String requireStorable(String value, String what) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\u0000') {
				throw new InvalidRequestException(what + " contains U+0000, which cannot be stored");
			}
			if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new InvalidRequestException(what + " contains an unpaired UTF-16 surrogate, which cannot be stored");
			}
		}
		return value;
	}

	/**
	 * @return {@code text}, a number as the parser read it, when PostgreSQL's jsonb can
	 * hold it: the same rule as for stored entries
	 * @throws InvalidRequestException otherwise
	 */
	private static String requireStorableNumber(String text) {
		if (!StoredEntries.isStorableNumber(text)) {
			throw new InvalidRequestException("The number " + abbreviate(text) + " is out of the storable range");
		}
		return text;
	}

	private static String abbreviate(String text) {
		return (text.length() <= 40) ? text : text.substring(0, 40) + "…";
	}

	/** One way of reading a request body. */
	@FunctionalInterface
	public interface Parsing<T> {

		T parse(JsonParser parser);

	}

}
