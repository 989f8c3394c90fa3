package dev.sessionhistory.api.gallery;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import dev.sessionhistory.api.erasure.ErasureLog;
import dev.sessionhistory.api.erasure.Erasures;
import dev.sessionhistory.api.paging.PageQuery;
import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.UserIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Erasure in the gallery, for admins only: erasing an instance from its page (the API's
 * {@code DELETE /sessions/{code}} is on the stateless chain, which never takes the gallery's
 * cookie), and the erasure log, newest first.
 */
@RestController
@Tag(name = "Session Gallery")
class GalleryErasureController {

	static final String ERASURES = "/admin/api/erasures";

	private static final Set<String> PARAMETERS = Set.of("erasedBy", "userId", "code", PageQuery.LIMIT, "cursor");

	private final AdminOnly admins;

	private final Erasures erasures;

	private final ErasureLog log;

	GalleryErasureController(AdminOnly admins, Erasures erasures, ErasureLog log) {
		this.admins = admins;
		this.erasures = erasures;
		this.log = log;
	}

	@DeleteMapping(GalleryInstanceController.INSTANCE)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Erase one session instance wherever it is: live, ended or archived (as "
			+ "DELETE /sessions/{code}?sessionId=, for the gallery)",
			description = "With the gallery's session cookie it needs the CSRF token (header X-XSRF-TOKEN, the "
					+ "value of the cookie XSRF-TOKEN); with an admin's bearer token none. Repeating it is 204.",
			responses = { @ApiResponse(responseCode = "204", description = "Erased, now or before"),
					@ApiResponse(responseCode = "404", description = "No such instance") })
	void erase(@PathVariable String code, @Parameter(schema = @Schema(format = "uuid")) @PathVariable String sessionId,
			@Parameter(description = "Why, kept in the erasure log (at most 1000 bytes)")
			@RequestParam(required = false) String reason, HttpServletRequest request)
			throws NoResourceFoundException {
		this.admins.require(request);
		InstanceRef ref = InstanceRef.of(code, sessionId);
		this.erasures.erase(ref.code(), ref.sessionId(), Erasures.reason(reason));
	}

	@GetMapping(path = ERASURES, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "The erasure log, newest first: who erased what, when and why, never the erased content",
			description = "Filters, each exact: erasedBy (who erased), userId (whose data went: the owner of an "
					+ "erased session, or the user of a user's erasure), code. Paged by cursor (Link: rel=\"next\").",
			responses = @ApiResponse(responseCode = "200", description = "A page of the log",
					headers = @Header(name = HttpHeaders.LINK, schema = @Schema(type = "string")),
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							array = @ArraySchema(schema = @Schema(implementation = ErasureView.class)))))
	ResponseEntity<List<ErasureView>> erasures(@Parameter(hidden = true) @RequestParam Map<String, String> parameters,
			HttpServletRequest request) throws NoResourceFoundException {
		this.admins.require(request);
		for (String name : parameters.keySet()) {
			if (!PARAMETERS.contains(name)) {
				throw new InvalidRequestException("'" + name
						+ "' is no parameter of this list; they are erasedBy, userId, code, limit and cursor");
			}
		}
		String erasedBy = user(parameters, "erasedBy");
		String userId = user(parameters, "userId");
		String code = parameters.get("code");
		if (code != null && !RedisKeys.isValidCode(code)) {
			throw new InvalidRequestException("'code' must match " + RedisKeys.CODE.pattern() + ", got '" + code + "'");
		}
		StringJoiner list = new StringJoiner("&", ERASURES + "?", "");
		list.add("erasedBy=" + ((erasedBy != null) ? erasedBy : ""))
			.add("userId=" + ((userId != null) ? userId : ""))
			.add("code=" + ((code != null) ? code : ""));
		PageQuery query = PageQuery.of(list.toString(), parameters.get(PageQuery.LIMIT), parameters.get("cursor"));
		String path = ERASURES + ((request.getQueryString() != null) ? "?" + request.getQueryString() : "");
		return this.log.list(erasedBy, userId, code, query).map(ErasureView::of).toResponse(path);
	}

	private static @Nullable String user(Map<String, String> parameters, String name) {
		String value = parameters.get(name);
		if (value != null && !UserIds.isValid(value)) {
			throw new InvalidRequestException("'" + name + "' must be 1 to 256 bytes of UTF-8 without control characters");
		}
		return value;
	}

}
