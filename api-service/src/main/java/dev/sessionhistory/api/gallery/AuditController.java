package dev.sessionhistory.api.gallery;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import dev.sessionhistory.api.audit.AdminAudit;
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

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The audit log of the gallery's reads and exports, for admins only, newest first.
 */
@RestController
@Tag(name = "Session Gallery")
class AuditController {

	static final String AUDIT = "/admin/api/audit";

	private static final Set<String> PARAMETERS = Set.of("adminId", "code", PageQuery.LIMIT, "cursor");

	private final AdminOnly admins;

	private final AdminAudit audit;

	AuditController(AdminOnly admins, AdminAudit audit) {
		this.admins = admins;
		this.audit = audit;
	}

	@GetMapping(path = AUDIT, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "The audit log of admins' reads and exports of sessions, newest first",
			description = "One row per admin, action (read, export) and instance in each 10-minute window, written "
					+ "before the read was answered. Filters: adminId, code (exact). Paged by cursor (Link: rel=\"next\").",
			responses = @ApiResponse(responseCode = "200", description = "A page of the log",
					headers = @Header(name = HttpHeaders.LINK, schema = @Schema(type = "string")),
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							array = @ArraySchema(schema = @Schema(implementation = AuditView.class)))))
	ResponseEntity<List<AuditView>> audit(@Parameter(hidden = true) @RequestParam Map<String, String> parameters,
			HttpServletRequest request) throws NoResourceFoundException {
		this.admins.require(request);
		for (String name : parameters.keySet()) {
			if (!PARAMETERS.contains(name)) {
				throw new InvalidRequestException(
						"'" + name + "' is no parameter of this list; they are adminId, code, limit and cursor");
			}
		}
		String adminId = parameters.get("adminId");
		if (adminId != null && !UserIds.isValid(adminId)) {
			throw new InvalidRequestException("'adminId' must be 1 to 256 bytes of UTF-8 without control characters");
		}
		String code = parameters.get("code");
		if (code != null && !RedisKeys.isValidCode(code)) {
			throw new InvalidRequestException("'code' must match " + RedisKeys.CODE.pattern() + ", got '" + code + "'");
		}
		StringJoiner list = new StringJoiner("&", AUDIT + "?", "");
		list.add("adminId=" + ((adminId != null) ? adminId : "")).add("code=" + ((code != null) ? code : ""));
		PageQuery query = PageQuery.of(list.toString(), parameters.get(PageQuery.LIMIT), parameters.get("cursor"));
		String path = AUDIT + ((request.getQueryString() != null) ? "?" + request.getQueryString() : "");
		return this.audit.list(adminId, code, query).map(AuditView::of).toResponse(path);
	}

}
