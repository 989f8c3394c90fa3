package dev.sessionhistory.api.session;

import java.net.URI;
import java.util.List;
import java.util.Set;

import dev.sessionhistory.api.live.SessionCodes;
import dev.sessionhistory.api.paging.Cursor;
import dev.sessionhistory.api.paging.PageQuery;
import dev.sessionhistory.api.security.Right;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.api.system.RequestBodies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sessions")
class SessionController {

	private final Sessions sessions;

	private final SessionCreator creator;

	private final AccessTokens tokens;

	private final int maxBodySize;

	SessionController(Sessions sessions, SessionCreator creator, AccessTokens tokens, HistoryProperties properties) {
		this.sessions = sessions;
		this.creator = creator;
		this.tokens = tokens;
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
		SessionView session = this.creator.create(CreateSessionRequest.parse(body));
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

	@PostMapping(path = "/sessions/{code}/tokens", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Mint a narrower access token of the caller's session, e.g. a read-only one for a display")
	TokenView token(@PathVariable String code, @RequestBody TokenRequest request) {
		Set<Right> rights;
		try {
			rights = Right.parse(request.rights());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("'rights': " + ex.getMessage());
		}
		return this.tokens.narrower(SessionCodes.requireValid(code), rights);
	}

	/**
	 * A cursor is bound to the code's list: one from another code is refused rather than
	 * applied, so a client that mixes them up learns it.
	 */
	@GetMapping(path = "/sessions/{code}/archives", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "The archived instances of a code, newest first, a page at a time",
			description = "Paged by cursor: when more archives follow, the Link header (rel=\"next\") holds the URI"
					+ " of the next page; the last page has none.",
			responses = @ApiResponse(responseCode = "200", description = "A page of archives",
					headers = @Header(name = HttpHeaders.LINK,
							description = "</sessions/{code}/archives?limit=N&cursor=...>; rel=\"next\", unless this"
									+ " is the last page",
							schema = @Schema(type = "string")),
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							array = @ArraySchema(schema = @Schema(implementation = ArchiveView.class)))))
	ResponseEntity<List<ArchiveView>> archives(@PathVariable String code,
			@Parameter(description = "Page size, 1 to " + PageQuery.MAX_LIMIT,
					schema = @Schema(type = "integer", minimum = "1", maximum = "" + PageQuery.MAX_LIMIT,
							defaultValue = "" + PageQuery.DEFAULT_LIMIT))
			@RequestParam(name = PageQuery.LIMIT, required = false) String limit,
			@Parameter(description = "Where the previous page ended, opaque: take it from the Link header;"
					+ " leave it out for the first page")
			@RequestParam(name = Cursor.PARAMETER, required = false) String cursor) {
		String path = "/sessions/" + SessionCodes.requireValid(code) + "/archives";
		return this.sessions.archives(code, PageQuery.of(path, limit, cursor)).toResponse(path);
	}

}
