package dev.sessionhistory.api.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Who may do what with one session instance: the holder of a session access token what it
 * grants, on its instance only, and an archive only until {@code archive-ttl} after the
 * session ended; an admin everything; nobody else anything. In open mode everybody
 * everything.
 * <p>
 * The features ask before any answer that depends on the instance, and answer a refusal as
 * they answer an unknown session, so that probing cannot tell taken codes from free ones.
 */
@Component
public class SessionAccess {

	private final boolean open;

	private final Duration archiveTtl;

	private final Clock clock;

	SessionAccess(SecuritySettings settings, Clock clock) {
		this.open = settings.mode() == SecuritySettings.Mode.OPEN;
		this.archiveTtl = settings.sessionToken().archiveTtl();
		this.clock = clock;
	}

	/** Whether access control is off ({@code history.security.mode=open}). */
	public boolean open() {
		return this.open;
	}

	/**
	 * Which instances of {@code code} the caller may do {@code right} with: all of them (an
	 * admin, or open mode), the one its session token names, or none. Users who are no
	 * admins reach a session through its access token: owners and participants are
	 * recorded with the sessions, and get access by their user token in the next step.
	 */
	public Scope scope(Caller caller, String code, Right right) {
		if (this.open || caller.admin()) {
			return Scope.ALL;
		}
		SessionGrant grant = caller.grant();
		if (grant != null && grant.code().equals(code) && grant.rights().contains(right)) {
			return new Scope(false, grant.sessionId());
		}
		return Scope.NONE;
	}

	/**
	 * Whether a session token's holder may still read an instance that ended at
	 * {@code endedAt}: until {@code history.security.session-token.archive-ttl} after it.
	 * Everybody else may, whenever it ended.
	 */
	public boolean withinArchiveTtl(Caller caller, @Nullable Instant endedAt) {
		return this.open || caller.grant() == null || endedAt == null
				|| !this.clock.instant().isAfter(endedAt.plus(this.archiveTtl));
	}

	/**
	 * The instances of a code a caller may act on.
	 *
	 * @param all every instance
	 * @param instance only this one (when not {@code all}); neither: none
	 */
	public record Scope(boolean all, @Nullable UUID instance) {

		static final Scope ALL = new Scope(true, null);

		static final Scope NONE = new Scope(false, null);

		/** Whether the scope holds {@code sessionId}. */
		public boolean includes(UUID sessionId) {
			return this.all || sessionId.equals(this.instance);
		}

		public boolean none() {
			return !this.all && this.instance == null;
		}

	}

}
