package dev.sessionhistory.api.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.api.live.LiveSessions;
import dev.sessionhistory.api.live.SessionNotFoundException;
import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.Right;
import dev.sessionhistory.api.security.SecuritySettings;
import dev.sessionhistory.api.security.SessionAccess;
import dev.sessionhistory.api.security.SessionGrant;
import dev.sessionhistory.api.security.SessionTokens;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.api.system.InvalidRequestException;

import org.springframework.stereotype.Component;

/**
 * The session access tokens that sessions hand out: the creator's, with every right, and
 * narrower ones that a holder asks for. A token lives as long as its session can live and
 * then be read archived: {@code history.session.max-ttl} plus
 * {@code history.security.session-token.archive-ttl}.
 */
@Component
class AccessTokens {

	private final SessionTokens tokens;

	private final LiveSessions live;

	private final SessionAccess access;

	private final Duration lifetime;

	private final Clock clock;

	AccessTokens(SessionTokens tokens, LiveSessions live, SessionAccess access, HistoryProperties properties,
			SecuritySettings security, Clock clock) {
		this.tokens = tokens;
		this.live = live;
		this.access = access;
		this.lifetime = properties.session().maxTtl().plus(security.sessionToken().archiveTtl());
		this.clock = clock;
	}

	/** Every right on a new instance. */
	String creators(String code, UUID sessionId, Instant createdAt) {
		return this.tokens.mint(code, sessionId, EnumSet.allOf(Right.class), 0, createdAt.plus(this.lifetime));
	}

	/**
	 * A token with some of the caller's rights on the caller's instance (to hand a display a
	 * read-only one), expiring no later than the caller's; an admin's is for the code's live
	 * instance.
	 */
	TokenView narrower(String code, Set<Right> rights) {
		Caller caller = Caller.current();
		SessionGrant grant = caller.grant();
		if (grant != null && grant.code().equals(code)) {
			if (!grant.rights().containsAll(rights)) {
				throw new InvalidRequestException("a token can only grant rights its holder has: "
						+ Right.wire(grant.rights()) + ", not " + Right.wire(rights));
			}
			return minted(code, grant.sessionId(), rights, grant.epoch(), grant.expiresAt());
		}
		if (this.access.scope(caller, code, Right.READ).all()) {
			Optional<UUID> live = this.live.live(code);
			if (live.isPresent()) {
				return minted(code, live.get(), rights, 0, this.clock.instant().plus(this.lifetime));
			}
		}
		throw SessionNotFoundException.code(code);
	}

	private TokenView minted(String code, UUID sessionId, Set<Right> rights, long epoch, Instant expiresAt) {
		return new TokenView(code, sessionId, Right.wire(rights), SessionView.format(expiresAt),
				this.tokens.mint(code, sessionId, rights, epoch, expiresAt));
	}

}
