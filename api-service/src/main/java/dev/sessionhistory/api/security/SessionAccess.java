package dev.sessionhistory.api.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Who may do what with one session instance:
 * <ul>
 * <li>an admin everything (and everybody everything in open mode);</li>
 * <li>the instance's owner (the user who created it) everything;</li>
 * <li>a participant (a user who appended or joined) what the instance's users record
 * grants them: {@code read,append} for one who appended, the rights of the token they
 * joined with otherwise;</li>
 * <li>the holder of a session access token what it grants, on its instance only, as long
 * as the instance's tokens were not revoked since it was minted, and an archive only until
 * {@code archive-ttl} after the session ended;</li>
 * <li>nobody else anything.</li>
 * </ul>
 * The features ask twice: {@link #scope} before they look anything up (which instances
 * can be the caller's at all), {@link #permits} once they hold the instance's
 * {@link Holders}. They answer every refusal as they answer an unknown session, so that
 * probing cannot tell taken codes from free ones.
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
	 * Which instances of {@code code} can be the caller's for {@code right}: all of them (an
	 * admin, or open mode), the one its session token names, those a user owns or
	 * participates in ({@link Scope#user()}, decided per instance by {@link #permits}), or
	 * none (nobody signed in).
	 */
	public Scope scope(Caller caller, String code, Right right) {
		if (this.open || caller.admin()) {
			return Scope.ALL;
		}
		SessionGrant grant = caller.grant();
		if (grant != null) {
			return (grant.code().equals(code) && grant.rights().contains(right))
					? new Scope(false, grant.sessionId(), false) : Scope.NONE;
		}
		return (caller.userId() != null) ? Scope.USER : Scope.NONE;
	}

	/** Whether the caller may do {@code right} with the instance whose holders these are. */
	public boolean permits(Caller caller, Right right, Holders holders) {
		if (this.open || caller.admin()) {
			return true;
		}
		SessionGrant grant = caller.grant();
		if (grant != null) {
			return grant.sessionId().equals(holders.sessionId()) && grant.rights().contains(right)
					&& grant.epoch() >= holders.tokenEpoch().getAsLong();
		}
		String user = caller.userId();
		if (user == null) {
			return false;
		}
		return user.equals(holders.owner()) || holders.participantRights().apply(user).contains(right);
	}

	/** Whether the caller may manage the instance: revoke its tokens (its owner or an admin). */
	public boolean manages(Caller caller, Holders holders) {
		return this.open || caller.admin() || (caller.userId() != null && caller.userId().equals(holders.owner()));
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
	 * Who holds rights on one session instance, as its store knows them; the token epoch
	 * and the participants are looked up only when a decision needs them.
	 *
	 * @param sessionId the instance
	 * @param owner its owner's user id, or {@code null} for none
	 * @param tokenEpoch its token epoch: tokens minted at a lower one are revoked
	 * @param participantRights the rights a user holds as a participant (none for a user who
	 * is not one)
	 */
	public record Holders(UUID sessionId, @Nullable String owner, LongSupplier tokenEpoch,
			Function<String, Set<Right>> participantRights) {
	}

	/**
	 * The instances of a code a caller may act on, before {@link #permits} decides.
	 *
	 * @param all every instance
	 * @param instance only this one (a session token's), else {@code null}
	 * @param user any instance the user owns or participates in, decided per instance
	 */
	public record Scope(boolean all, @Nullable UUID instance, boolean user) {

		static final Scope ALL = new Scope(true, null, false);

		static final Scope USER = new Scope(false, null, true);

		static final Scope NONE = new Scope(false, null, false);

		/** Whether {@code sessionId} can be in the scope. */
		public boolean includes(UUID sessionId) {
			return this.all || this.user || sessionId.equals(this.instance);
		}

		public boolean none() {
			return !this.all && !this.user && this.instance == null;
		}

	}

}
