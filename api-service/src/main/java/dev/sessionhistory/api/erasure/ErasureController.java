package dev.sessionhistory.api.erasure;

import java.util.UUID;

import dev.sessionhistory.api.live.SessionCodes;
import dev.sessionhistory.api.live.SessionIds;
import dev.sessionhistory.api.system.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Erasure")
class ErasureController {

	private final Erasures erasures;

	ErasureController(Erasures erasures) {
		this.erasures = erasures;
	}

	@DeleteMapping("/sessions/{code}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Erase one session instance wherever it is: live, ended or archived (its owner or an admin)",
			description = "Live, it ends and is deleted instead of archived. Repeating it is 204 for its owner or an"
					+ " admin; everybody else gets 404, whether it existed or not.",
			responses = { @ApiResponse(responseCode = "204", description = "Erased, now or before"),
					@ApiResponse(responseCode = "404", description = "No such instance, or not the caller's to erase") })
	void erase(@PathVariable String code,
			@Parameter(description = "The instance to erase", required = true, schema = @Schema(format = "uuid"))
			@RequestParam(required = false) String sessionId,
			@Parameter(description = "Why, kept in the erasure log (at most 1000 bytes)")
			@RequestParam(required = false) String reason) {
		SessionCodes.requireValid(code);
		UUID instance = SessionIds.parse(sessionId);
		if (instance == null) {
			throw new InvalidRequestException("'sessionId' is required: an erasure names one instance of the code");
		}
		this.erasures.erase(code, instance, Erasures.reason(reason));
	}

}
