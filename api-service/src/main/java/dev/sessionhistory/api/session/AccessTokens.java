package dev.sessionhistory.api.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.api.live.LivePage;
import dev.sessionhistory.api.live.LivePages;
import dev.sessionhistory.api.live.LiveSessions;
import dev.sessionhistory.api.live.SessionNotFoundException;
import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.Right;
import dev.sessionhistory.api.security.SecuritySettings;
import dev.sessionhistory.api.security.SessionAccess;
import dev.sessionhistory.api.security.SessionGrant;
import dev.sessionhistory.api.security.SessionHolders;
import dev.sessionhistory.api.security.SessionTokens;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.api.system.InvalidRequestException;
import dev.sessionhistory.model.SessionMeta;

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

	private final LivePages pages;

	private final SessionAccess access;

	private final SessionHolders holders;

	private final Duration lifetime;

	private final Clock clock;

	AccessTokens(SessionTokens tokens, LiveSessions live, LivePages pages, SessionAccess access,
			SessionHolders holders, HistoryProperties properties, SecuritySettings security, Clock clock) {
		this.tokens = tokens;
		this.live = live;
		this.pages = pages;
		this.access = access;
		this.holders = holders;
		this.lifetime = properties.session().maxTtl().plus(security.sessionToken().archiveTtl());
		this.clock = clock;
	}

	/** Every right on a new instance. */
	String creators(String code, UUID sessionId, Instant createdAt) {
		return this.tokens.mint(code, sessionId, EnumSet.allOf(Right.class), 0, createdAt.plus(this.lifetime));
	}

	/**
	 * A token with some of the caller's rights on an instance (to hand a display a read-only
	 * one): for a session token's holder its instance, expiring no later than its own; for a
	 * user (the owner, a participant, an admin) the code's live instance. It is minted at the
	 * instance's current token epoch, so a revoke refuses it like every older token.
	 */
	TokenView narrower(String code, Set<Right> rights) {
		Caller caller = Caller.current();
		SessionGrant grant = caller.grant();
		Optional<UUID> instance = (grant != null) ? Optional.of(grant.sessionId()).filter((sid) -> grant.code().equals(code))
				: (caller.userId() != null || this.access.open()) ? this.live.live(code) : Optional.empty();
		Optional<LivePage> page = instance.flatMap((sid) -> this.pages.read(code, sid, "latest", 0, 0));
		if (page.isEmpty()) {
			throw SessionNotFoundException.code(code);
		}
		SessionMeta meta = page.get().meta();
		SessionAccess.Holders holders = this.holders.live(code, meta);
		Set<Right> held = EnumSet.noneOf(Right.class);
		for (Right right : Right.values()) {
			if (this.access.permits(caller, right, holders)) {
				held.add(right);
			}
		}
		if (held.isEmpty()) {
			throw SessionNotFoundException.code(code);
		}
		if (!held.containsAll(rights)) {
			throw new InvalidRequestException("a token can only grant rights its holder has: " + Right.wire(held)
					+ ", not " + Right.wire(rights));
		}
		Instant expiresAt = (grant != null) ? grant.expiresAt() : this.clock.instant().plus(this.lifetime);
		return minted(code, meta.sessionId(), rights, meta.tokenEpoch(), expiresAt);
	}

	private TokenView minted(String code, UUID sessionId, Set<Right> rights, long epoch, Instant expiresAt) {
		return new TokenView(code, sessionId, Right.wire(rights), SessionView.format(expiresAt),
				this.tokens.mint(code, sessionId, rights, epoch, expiresAt));
	}

}
