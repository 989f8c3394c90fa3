package dev.sessionhistory.api.gallery;

import java.io.IOException;

import dev.sessionhistory.api.erasure.Erasures;
import dev.sessionhistory.api.erasure.UserErasures;
import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.UserIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** A user's data, for admins: exported first, then erased. */
@RestController
@Tag(name = "Session Gallery")
class UserDataController {

	static final String USER_DATA = "/admin/api/users/data";

	private final AdminOnly admins;

	private final UserErasures users;

	private final UserDataExport export;

	UserDataController(AdminOnly admins, UserErasures users, UserDataExport export) {
		this.admins = admins;
		this.users = users;
		this.export = export;
	}

	@GetMapping(path = USER_DATA, produces = UserDataExport.MEDIA_TYPE)
	@Operation(summary = "Everything of one user, streamed as NDJSON: each session they own (all its messages) "
			+ "or took part in (their own messages), live and archived",
			responses = @ApiResponse(responseCode = "200",
					content = @Content(mediaType = UserDataExport.MEDIA_TYPE, schema = @Schema(type = "string"))))
	void export(@Parameter(description = "The user id (a token's subject)") @RequestParam(required = false) String userId,
			HttpServletRequest request, HttpServletResponse response) throws NoResourceFoundException, IOException {
		this.admins.require(request);
		this.export.export(requireUserId(userId), response);
	}

	@DeleteMapping(path = USER_DATA, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Erase a user: every session they own; their messages, as tombstones, and their "
			+ "participation in the others; live and archived",
			description = "Logged in the erasure log first. Repeating it is harmless.")
	UserErasures.Result erase(@RequestParam(required = false) String userId,
			@Parameter(description = "Why, kept in the erasure log (at most 1000 bytes)")
			@RequestParam(required = false) String reason, HttpServletRequest request) throws NoResourceFoundException {
		this.admins.require(request);
		return this.users.erase(requireUserId(userId), Erasures.reason(reason));
	}

	/** A failure once the export's answer has begun: the connection is closed without the end of the body. */
	@ExceptionHandler
	void interrupted(IOException ex) throws IOException {
		throw ex;
	}

	private static String requireUserId(String userId) {
		if (userId == null || !UserIds.isValid(userId)) {
			throw new InvalidRequestException("'userId' must be 1 to 256 bytes of UTF-8 without control characters");
		}
		return userId;
	}

}
