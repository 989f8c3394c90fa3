package dev.sessionhistory.api.gallery;

import java.io.IOException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The export of one session instance's messages, for admins only, streamed as it is read
 * ({@link SessionExport}) and recorded in the audit log before it begins.
 */
@RestController
@Tag(name = "Session Gallery")
class GalleryExportController {

	private final AdminOnly admins;

	private final SessionExport export;

	GalleryExportController(AdminOnly admins, SessionExport export) {
		this.admins = admins;
		this.export = export;
	}

	@GetMapping(GalleryInstanceController.INSTANCE + "/export")
	@Operation(summary = "Every message of an instance, streamed: a JSON array (the history pages' messages "
			+ "joined, byte for byte) or NDJSON (one stored message per line); recorded in the audit log as an export",
			description = "The messages the instance held when the export started. A failure once the answer has "
					+ "begun cuts the transfer short (no final chunk), so a truncated file never passes for a whole one.",
			responses = @ApiResponse(responseCode = "200",
					headers = @Header(name = HttpHeaders.CONTENT_DISPOSITION,
							description = "attachment; filename=\"{code}-{sessionId}.json\" (or .ndjson)",
							schema = @Schema(type = "string")),
					content = {
							@Content(mediaType = "application/json",
									array = @ArraySchema(schema = @Schema(type = "object",
											description = "A stored message, exactly as stored"))),
							@Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")) }))
	void export(@PathVariable String code, @Parameter(schema = @Schema(format = "uuid")) @PathVariable String sessionId,
			@Parameter(schema = @Schema(allowableValues = { "json", "ndjson" }, defaultValue = "json"))
			@RequestParam(required = false) String format, HttpServletRequest request, HttpServletResponse response)
			throws NoResourceFoundException, IOException {
		String admin = this.admins.require(request);
		InstanceRef ref = InstanceRef.of(code, sessionId);
		this.export.export(admin, ref, ExportFormat.of(format), response);
	}

	/**
	 * A failure once the export's answer has begun (its data, or the client gone), thrown on
	 * to the servlet container, which then closes the connection without the end of the
	 * body: the API's problem answers need an answer not yet begun.
	 */
	@ExceptionHandler
	void interrupted(IOException ex) throws IOException {
		throw ex;
	}

}
