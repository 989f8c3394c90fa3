package dev.sessionhistory.api.gallery;

import java.util.List;
import java.util.Map;

import dev.sessionhistory.api.archive.ArchiveSearch;
import dev.sessionhistory.api.paging.PageQuery;
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
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The Session Gallery's JSON endpoints, for admins only: to everybody else they are paths
 * that do not exist ({@code 401} without a token, as every path of the API, {@code 404}
 * with one).
 */
@RestController
@Tag(name = "Session Gallery")
class GalleryController {

	static final String SESSIONS = "/admin/api/gallery/sessions";

	private final GallerySessions sessions;

	private final AdminOnly admins;

	GalleryController(GallerySessions sessions, AdminOnly admins) {
		this.sessions = sessions;
		this.admins = admins;
	}

	@GetMapping(path = SESSIONS, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Find sessions: those in Redis first (live, then ended ones waiting for their archive), "
			+ "then the archives, newest first",
			description = "Filters: code (exact) or codePrefix, userId (owner or participant), createdAfter, "
					+ "createdBefore, endedAfter, endedBefore (ISO-8601 instants; after is inclusive, before "
					+ "exclusive), endReason (ended, expired), status (live, ended, archived, all), minMessages, "
					+ "maxMessages. Paged by cursor (Link: rel=\"next\").",
			responses = @ApiResponse(responseCode = "200", description = "A page of sessions",
					headers = @Header(name = HttpHeaders.LINK, schema = @Schema(type = "string")),
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							array = @ArraySchema(schema = @Schema(implementation = GallerySessionView.class)))))
	ResponseEntity<List<GallerySessionView>> sessions(
			@Parameter(hidden = true) @RequestParam Map<String, String> parameters, HttpServletRequest request)
			throws NoResourceFoundException {
		this.admins.require(request);
		SessionFilter filter = SessionFilter.of(parameters);
		PageQuery query = PageQuery.of(SESSIONS + "?" + filter.describe(), parameters.get(PageQuery.LIMIT),
				parameters.get("cursor"));
		String path = SESSIONS + ((request.getQueryString() != null) ? "?" + request.getQueryString() : "");
		return this.sessions.list(filter, query).toResponse(path);
	}

	@GetMapping(path = SESSIONS + "/count", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "How many archives the filters match, counted up to " + ArchiveSearch.COUNT_CAP
			+ " (then 'many' is true)",
			description = "The same filters as the list; sessions in Redis are not counted (the overview has them).")
	ArchiveCount count(@Parameter(hidden = true) @RequestParam Map<String, String> parameters,
			HttpServletRequest request) throws NoResourceFoundException {
		this.admins.require(request);
		SessionFilter filter = SessionFilter.of(parameters);
		int archived = this.sessions.countArchived(filter);
		return (archived < 0) ? new ArchiveCount(0, false)
				: new ArchiveCount(archived, archived >= ArchiveSearch.COUNT_CAP);
	}

	/**
	 * @param archived how many archives match, at most {@link ArchiveSearch#COUNT_CAP}
	 * @param many whether there are at least that many (then {@code archived} is a lower bound)
	 */
	record ArchiveCount(int archived, boolean many) {
	}

}
