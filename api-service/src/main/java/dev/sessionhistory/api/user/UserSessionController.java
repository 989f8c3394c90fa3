package dev.sessionhistory.api.user;

import java.util.List;

import dev.sessionhistory.api.paging.Cursor;
import dev.sessionhistory.api.paging.PageQuery;
import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.SessionAccess;
import dev.sessionhistory.api.security.TokenRequiredException;
import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.UserIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The sessions of a user: the caller's own at {@code /me/sessions}, any user's for admins at
 * {@code /admin/api/sessions?userId=} (user ids are opaque and may hold {@code /}, so they
 * travel as a query parameter).
 */
@RestController
@Tag(name = "Users")
class UserSessionController {

	private final UserSessions sessions;

	private final SessionAccess access;

	UserSessionController(UserSessions sessions, SessionAccess access) {
		this.sessions = sessions;
		this.access = access;
	}

	@GetMapping(path = "/me/sessions", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "The sessions the caller owns or participates in, live first, then archived, newest first",
			security = @SecurityRequirement(name = "bearer"),
			responses = @ApiResponse(responseCode = "200", description = "A page of sessions",
					headers = @Header(name = HttpHeaders.LINK,
							description = "<…?limit=N&cursor=…>; rel=\"next\", unless this is the last page",
							schema = @Schema(type = "string")),
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							array = @ArraySchema(schema = @Schema(implementation = UserSessionView.class)))))
	ResponseEntity<List<UserSessionView>> mine(
			@Parameter(description = "live, ended (waiting for the archive, or archived) or all (the default)")
			@RequestParam(required = false) String status,
			@Parameter(description = "Page size, 1 to " + PageQuery.MAX_LIMIT)
			@RequestParam(name = PageQuery.LIMIT, required = false) String limit,
			@Parameter(description = "Where the previous page ended, opaque: take it from the Link header")
			@RequestParam(name = Cursor.PARAMETER, required = false) String cursor) {
		String user = Caller.current().userId();
		if (user == null) {
			throw new TokenRequiredException("The caller's sessions are listed for a user token only");
		}
		return list(user, "/me/sessions", status, limit, cursor);
	}

	@GetMapping(path = "/admin/api/sessions", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "The sessions a user owns or participates in (admins only), as /me/sessions lists them",
			security = @SecurityRequirement(name = "bearer"))
	ResponseEntity<List<UserSessionView>> ofUser(@RequestParam(required = false) String userId,
			@RequestParam(required = false) String status,
			@RequestParam(name = PageQuery.LIMIT, required = false) String limit,
			@RequestParam(name = Cursor.PARAMETER, required = false) String cursor) throws NoResourceFoundException {
		if (!this.access.open() && !Caller.current().admin()) {
			// the answer of a path that does not exist, for everybody but admins
			throw new NoResourceFoundException(HttpMethod.GET, "/admin/api/sessions", "admin/api/sessions");
		}
		if (userId == null || !UserIds.isValid(userId)) {
			throw new InvalidRequestException("'userId' must be a user id: 1 to 256 bytes of UTF-8 without control"
					+ " characters");
		}
		String path = UriComponentsBuilder.fromPath("/admin/api/sessions")
			.queryParam("userId", userId)
			.encode()
			.build()
			.toUriString();
		return list(userId, path, status, limit, cursor);
	}

	private ResponseEntity<List<UserSessionView>> list(String user, String path, String status, String limit,
			String cursor) {
		UserSessions.Status which = UserSessions.Status.of(status);
		String pathWithStatus = (status != null)
				? UriComponentsBuilder.fromUriString(path).queryParam("status", status).encode().build().toUriString()
				: path;
		// the cursor names the list: the user and the status select its rows
		PageQuery query = PageQuery.of(pathWithStatus + "#" + user, limit, cursor);
		return this.sessions.list(user, which, query).toResponse(pathWithStatus);
	}

}
