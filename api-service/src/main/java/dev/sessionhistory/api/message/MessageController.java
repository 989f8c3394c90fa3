package dev.sessionhistory.api.message;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.sessionhistory.api.live.SessionCodes;
import dev.sessionhistory.api.live.SessionIds;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.api.system.RequestBodies;
import dev.sessionhistory.api.system.SelfTimedEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Messages")
class MessageController {

	/** The instance that holds the message, for pinning retries to it. */
	static final String SESSION_ID = "Session-Id";

	static final String APPENDS = "history.appends";

	private final MessageAppender appender;

	private final int maxSize;

	private final MeterRegistry registry;

	private final Timer created;

	private final Timer retried;

	MessageController(MessageAppender appender, HistoryProperties properties, MeterRegistry registry) {
		this.appender = appender;
		this.maxSize = (int) properties.message().maxSize().toBytes();
		this.registry = registry;
		this.created = appendTimer(registry, "created");
		this.retried = appendTimer(registry, "retry");
	}

	private static Timer appendTimer(MeterRegistry registry, String outcome) {
		return Timer.builder(APPENDS)
			.description("Time to store one message, by outcome: created, or a retry answered with the original")
			.tag("outcome", outcome)
			.register(registry);
	}

	/**
	 * The body is limited in size before it is parsed; the answer is the stored message
	 * text itself.
	 */
	@PostMapping(path = "/sessions/{code}/messages", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Append a message; a repeated id is a retry and returns the original",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = MessageRequest.class))),
			responses = { @ApiResponse(responseCode = "201", description = "Stored",
					content = @Content(schema = @Schema(implementation = StoredMessage.class))),
					@ApiResponse(responseCode = "200", description = "A retry: the original message",
							content = @Content(schema = @Schema(implementation = StoredMessage.class))) })
	ResponseEntity<byte[]> append(@PathVariable String code,
			@Parameter(description = "The instance to append to, as a retry should: "
					+ "then the message goes there or nowhere (409 once that instance has ended)",
					schema = @Schema(format = "uuid")) @RequestParam(required = false) String sessionId,
			HttpServletRequest request) {
		long started = System.nanoTime();
		MessageAppender.Appended appended;
		try {
			SessionCodes.requireValid(code);
			UUID pinned = SessionIds.parse(sessionId);
			RequestBodies.requireJson(request);
			byte[] body = RequestBodies.read(request, this.maxSize);
			appended = this.appender.append(code, pinned, MessageRequest.parse(body));
		}
		catch (RuntimeException ex) {
			SelfTimedEndpoint.failed(this.registry, APPENDS, ex);
			throw ex;
		}
		(appended.created() ? this.created : this.retried).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		return ResponseEntity.status(appended.created() ? HttpStatus.CREATED : HttpStatus.OK)
			.contentType(MediaType.APPLICATION_JSON)
			.header(SESSION_ID, appended.sessionId().toString())
			.body(appended.message());
	}

}
