package dev.sessionhistory.api.session;

import java.net.URI;
import java.util.List;

import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.api.system.RequestBodies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sessions")
class SessionController {

	private final Sessions sessions;

	private final int maxBodySize;

	SessionController(Sessions sessions, HistoryProperties properties) {
		this.sessions = sessions;
		this.maxBodySize = (int) properties.message().maxSize().toBytes();
	}

	/**
	 * The body is read by hand: it is optional, limited in size before parsing, and its
	 * metadata is kept as compact JSON text.
	 */
	@PostMapping(path = "/sessions", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Create a session, with a given or a generated code",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false,
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = CreateSessionRequest.class))))
	ResponseEntity<SessionView> create(HttpServletRequest request) {
		byte[] body = RequestBodies.read(request, this.maxBodySize);
		if (body.length > 0 || request.getContentLengthLong() > 0) {
			RequestBodies.requireJson(request);
		}
		SessionView session = this.sessions.create(CreateSessionRequest.parse(body));
		return ResponseEntity.created(URI.create("/sessions/" + session.code())).body(session);
	}

	@GetMapping(path = "/sessions/{code}", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "The current session of a code, else its latest archived one")
	SessionView get(@PathVariable String code) {
		return this.sessions.get(SessionCodes.requireValid(code));
	}

	@PostMapping(path = "/sessions/{code}/end", produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(summary = "End a session; its archive follows within seconds")
	EndedSession end(@PathVariable String code) {
		return this.sessions.end(SessionCodes.requireValid(code));
	}

	@GetMapping(path = "/sessions/{code}/archives", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "The archived instances of a code, newest first")
	List<ArchiveView> archives(@PathVariable String code) {
		return this.sessions.archives(SessionCodes.requireValid(code));
	}

}
