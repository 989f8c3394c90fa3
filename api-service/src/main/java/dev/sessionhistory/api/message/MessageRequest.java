package dev.sessionhistory.api.message;

import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.api.system.StorableJson;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The body of {@code POST /sessions/{code}/messages}.
 *
 * @param id the client's message id, for retries; generated when absent
 * @param sender who sent it, free text
 * @param type what kind of message it is, free text
 * @param data the payload, any JSON value, as compact text with numbers as written
 */
@Schema(name = "AppendMessageRequest")
record MessageRequest(@Schema(maxLength = MessageRequest.MAX_ID_LENGTH, example = "m-42") String id,
		@Schema(example = "user-1") String sender, @Schema(example = "chat") String type,
		@Schema(implementation = Object.class, requiredMode = Schema.RequiredMode.REQUIRED,
				description = "Any JSON value") String data) {

	static final int MAX_ID_LENGTH = 64;

	/** The member the append script stamps into a stored message; no client may send it. */
	static final String USER_ID = "userId";

	static MessageRequest parse(byte[] body) {
		return StorableJson.parse(body, MessageRequest::read);
	}

	private static MessageRequest read(JsonParser parser) {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			throw new InvalidRequestException("The body must be a JSON object with a 'data' member");
		}
		String id = null;
		String sender = null;
		String type = null;
		String data = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (name) {
				case "id" -> id = (value != JsonToken.VALUE_NULL) ? id(parser) : null;
				case "sender" -> sender = (value != JsonToken.VALUE_NULL) ? StorableJson.string(parser, "sender") : null;
				case "type" -> type = (value != JsonToken.VALUE_NULL) ? StorableJson.string(parser, "type") : null;
				case "data" -> data = StorableJson.copyValue(parser);
				case USER_ID -> throw new InvalidRequestException("The message may not carry a top-level '" + USER_ID
						+ "' member: the service stamps the sender's user id itself");
				default -> parser.skipChildren();
			}
		}
		if (data == null) {
			throw new InvalidRequestException("The message has no 'data' member");
		}
		return new MessageRequest(id, sender, type, data);
	}

	private static String id(JsonParser parser) {
		String id = StorableJson.string(parser, "id");
		if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
			throw new InvalidRequestException("'id' must be 1 to " + MAX_ID_LENGTH + " characters long");
		}
		return id;
	}

}
