package dev.sessionhistory.api.gallery;

import dev.sessionhistory.api.audit.AdminAudit;
import dev.sessionhistory.api.audit.AuditAction;
import dev.sessionhistory.api.history.HistoryPage;
import dev.sessionhistory.api.history.HistoryQuery;
import dev.sessionhistory.api.history.HistoryReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * One session instance in the gallery: its page and its history, for admins only, each
 * read recorded in the audit log before it is answered ({@link AdminAudit}).
 */
@RestController
@Tag(name = "Session Gallery")
class GalleryInstanceController {

	static final String INSTANCE = GalleryController.SESSIONS + "/{code}/{sessionId}";

	private final AdminOnly admins;

	private final GalleryInstances instances;

	private final HistoryReader reader;

	private final AdminAudit audit;

	GalleryInstanceController(AdminOnly admins, GalleryInstances instances, HistoryReader reader, AdminAudit audit) {
		this.admins = admins;
		this.instances = instances;
		this.reader = reader;
		this.audit = audit;
	}

	@GetMapping(path = INSTANCE, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "One session instance: live or ended in Redis, or archived in PostgreSQL, with its "
			+ "participants (recorded in the audit log as a read)",
			responses = @ApiResponse(responseCode = "200",
					content = @Content(schema = @Schema(implementation = GalleryInstanceView.class))))
	ResponseEntity<GalleryInstanceView> instance(@PathVariable String code,
			@Parameter(schema = @Schema(format = "uuid")) @PathVariable String sessionId, HttpServletRequest request)
			throws NoResourceFoundException {
		String admin = this.admins.require(request);
		InstanceRef ref = InstanceRef.of(code, sessionId);
		GalleryInstanceView view = this.instances.find(ref);
		this.audit.record(admin, AuditAction.READ, ref.code(), ref.sessionId());
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(view);
	}

	/**
	 * The very page {@code GET /sessions/{code}/history?sessionId=} answers, byte for byte:
	 * the same reader and the same writer; only its caching differs (none).
	 */
	@GetMapping(path = INSTANCE + "/history", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "One page of an instance's history, byte for byte the page of "
			+ "GET /sessions/{code}/history?sessionId= (recorded in the audit log as a read)",
			responses = @ApiResponse(responseCode = "200",
					content = @Content(schema = @Schema(ref = "#/components/schemas/History"))))
	ResponseEntity<HistoryPage> history(@PathVariable String code,
			@Parameter(schema = @Schema(format = "uuid")) @PathVariable String sessionId,
			@Parameter(description = "Page size, 1 to 1000", schema = @Schema(type = "integer", defaultValue = "100"))
			@RequestParam(required = false) String limit,
			@Parameter(description = "The messages just before this seq", schema = @Schema(type = "integer"))
			@RequestParam(required = false) String before,
			@Parameter(description = "The messages just after this seq", schema = @Schema(type = "integer"))
			@RequestParam(required = false) String after,
			HttpServletRequest request) throws NoResourceFoundException {
		String admin = this.admins.require(request);
		InstanceRef ref = InstanceRef.of(code, sessionId);
		HistoryPage page = this.reader.read(ref.code(), ref.sessionId(), HistoryQuery.of(limit, before, after)).page();
		this.audit.record(admin, AuditAction.READ, ref.code(), ref.sessionId());
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(page);
	}

}
