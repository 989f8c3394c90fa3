package dev.sessionhistory.api.session;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A join: the session access token whose rights the calling user takes.
 *
 * @param accessToken a session access token of the session (its creator's, or one minted
 * from it)
 */
record JoinRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String accessToken) {
}
