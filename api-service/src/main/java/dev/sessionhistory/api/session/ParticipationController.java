package dev.sessionhistory.api.session;

import dev.sessionhistory.api.live.SessionCodes;
import dev.sessionhistory.api.live.SessionIds;
import dev.sessionhistory.api.system.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sessions")
class ParticipationController {

	private final Participation participation;

	ParticipationController(Participation participation) {
		this.participation = participation;
	}

	@PostMapping(path = "/sessions/{code}/participants", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Join a live session as the calling user, with the rights of one of its access tokens",
			description = "The user's token goes in the Authorization header, the session's access token in the body."
					+ " The user becomes a participant: the session is then theirs to read (and to append to, if the"
					+ " token allows it) with their own token, and it is listed in GET /me/sessions.",
			security = @SecurityRequirement(name = "bearer"))
	Participant join(@PathVariable String code, @RequestBody JoinRequest request) {
		if (request.accessToken() == null || request.accessToken().isBlank()) {
			throw new InvalidRequestException("'accessToken' is required: a session access token of the session");
		}
		return this.participation.join(SessionCodes.requireValid(code), request.accessToken());
	}

	@DeleteMapping(path = "/sessions/{code}/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Revoke every access token of a session instance (its owner or an admin)",
			description = "Raises the instance's token epoch: every token minted before is refused from now on,"
					+ " live and archived. Tokens minted afterwards work.",
			security = @SecurityRequirement(name = "bearer"))
	Participation.Revoked revoke(@PathVariable String code,
			@Parameter(description = "The instance; leave it out for the code's current one, else its latest archive")
			@RequestParam(required = false) String sessionId) {
		return this.participation.revoke(SessionCodes.requireValid(code), SessionIds.parse(sessionId));
	}

}
