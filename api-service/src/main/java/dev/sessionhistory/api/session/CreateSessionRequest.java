package dev.sessionhistory.api.session;

import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.api.system.StorableJson;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The optional body of {@code POST /sessions}.
 *
 * @param code the code to use, else one is generated
 * @param ttlSeconds the idle lifetime, else the configured default
 * @param metadata a JSON object kept with the session, as compact text
 */
@Schema(name = "CreateSessionRequest")
record CreateSessionRequest(@Schema(example = "K7P2QX", pattern = "^[A-Za-z0-9_-]{1,64}$") String code,
		@Schema(example = "600", minimum = "1") Long ttlSeconds,
		@Schema(type = "object", description = "Any JSON object") String metadata) {

	static final CreateSessionRequest EMPTY = new CreateSessionRequest(null, null, null);

	/** Parses a request body; an empty body asks for all defaults. */
	static CreateSessionRequest parse(byte[] body) {
		if (body.length == 0) {
			return EMPTY;
		}
		return StorableJson.parse(body, CreateSessionRequest::read);
	}

	private static CreateSessionRequest read(JsonParser parser) {
		JsonToken first = parser.nextToken();
		if (first == null) {
			return EMPTY;
		}
		if (first != JsonToken.START_OBJECT) {
			throw new InvalidRequestException("The body must be a JSON object");
		}
		String code = null;
		Long ttlSeconds = null;
		String metadata = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if (value == JsonToken.VALUE_NULL) {
				continue;
			}
			switch (name) {
				case "code" -> code = StorableJson.string(parser, "code");
				case "ttlSeconds" -> ttlSeconds = ttlSeconds(parser);
				case "metadata" -> {
					if (value != JsonToken.START_OBJECT) {
						throw new InvalidRequestException("'metadata' must be a JSON object");
					}
					metadata = StorableJson.copyValue(parser);
				}
				default -> parser.skipChildren();
			}
		}
		return new CreateSessionRequest(code, ttlSeconds, metadata);
	}

	private static long ttlSeconds(JsonParser parser) {
		if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
				|| parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
			throw new InvalidRequestException("'ttlSeconds' must be a whole number of seconds");
		}
		return parser.getLongValue();
	}

}
