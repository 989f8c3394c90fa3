package dev.sessionhistory.api.session;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.api.archive.ArchiveTable;
import dev.sessionhistory.api.archive.ArchiveUsers;
import dev.sessionhistory.api.archive.ArchivedSession;
import dev.sessionhistory.api.live.LivePage;
import dev.sessionhistory.api.live.LivePages;
import dev.sessionhistory.api.live.LiveSessions;
import dev.sessionhistory.api.live.SessionConflictException;
import dev.sessionhistory.api.live.SessionFullException;
import dev.sessionhistory.api.live.SessionNotFoundException;
import dev.sessionhistory.api.live.UserSessionIndex;
import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.Right;
import dev.sessionhistory.api.security.SessionAccess;
import dev.sessionhistory.api.security.SessionGrant;
import dev.sessionhistory.api.security.SessionHolders;
import dev.sessionhistory.api.security.SessionTokens;
import dev.sessionhistory.api.security.TokenRequiredException;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.JoinReply;
import dev.sessionhistory.model.RevokeReply;
import dev.sessionhistory.model.SessionMeta;

import org.springframework.stereotype.Service;

/**
 * Who takes part in a session: a user joins with a session access token (and becomes a
 * participant with its rights), and the owner or an admin revokes every access token of an
 * instance.
 * <p>
 * A revoke raises the instance's token epoch wherever the instance is kept: in Redis
 * ({@code revoke.lua}) and, once archived, in its archive row. The worker copies the
 * epoch it reads from Redis into the archive right before and again right after its
 * commit, so a revoke that races the archive is kept either way.
 */
@Service
class Participation {

	private final LiveSessions live;

	private final UserSessionIndex users;

	private final LivePages pages;

	private final ArchiveTable archives;

	private final ArchiveUsers archiveUsers;

	private final SessionTokens tokens;

	private final SessionAccess access;

	private final SessionHolders holders;

	private final int maxParticipants;

	Participation(LiveSessions live, UserSessionIndex users, LivePages pages, ArchiveTable archives,
			ArchiveUsers archiveUsers, SessionTokens tokens, SessionAccess access, SessionHolders holders,
			HistoryProperties properties) {
		this.live = live;
		this.users = users;
		this.pages = pages;
		this.archives = archives;
		this.archiveUsers = archiveUsers;
		this.tokens = tokens;
		this.access = access;
		this.holders = holders;
		this.maxParticipants = properties.session().maxParticipants();
	}

	/**
	 * Makes the calling user a participant of the token's instance, with the token's rights
	 * added to those held. A token that is invalid, of another code or revoked, and an
	 * instance gone from Redis, answer as an unknown code; an ended one as ended.
	 */
	Participant join(String code, String accessToken) {
		String user = Caller.current().userId();
		if (user == null) {
			throw new TokenRequiredException("Joining a session takes a user token in the Authorization header");
		}
		SessionGrant grant = this.tokens.verify(accessToken).filter((found) -> found.code().equals(code)).orElse(null);
		if (grant == null) {
			throw SessionNotFoundException.code(code);
		}
		Optional<LivePage> page = this.pages.read(code, grant.sessionId(), "latest", 0, 0);
		if (page.isEmpty() || grant.epoch() < page.get().meta().tokenEpoch()) {
			throw SessionNotFoundException.code(code);
		}
		String rights = String.join(",", Right.wire(grant.rights()));
		this.users.add(user, code, grant.sessionId()); // first, as for an owner: see UserSessionIndex
		JoinReply reply = this.live.join(code, grant.sessionId(), user, rights, this.maxParticipants);
		return switch (reply) {
			case OK -> participant(code, page.get().meta(), user);
			case ENDED -> throw new SessionConflictException("Session '" + code + "' has ended; nobody joins it now");
			case UNKNOWN -> throw SessionNotFoundException.code(code);
			case FULL -> throw SessionFullException.participants(code, this.maxParticipants);
		};
	}

	/** The user's role and rights now: the owner holds every right, a participant the union stored. */
	private Participant participant(String code, SessionMeta meta, String user) {
		if (meta.owner().filter(user::equals).isPresent()) {
			return new Participant(code, meta.sessionId(), Participant.OWNER, Right.wire(EnumSet.allOf(Right.class)));
		}
		Set<Right> rights = this.holders.live(code, meta).participantRights().apply(user);
		return new Participant(code, meta.sessionId(), Participant.PARTICIPANT, Right.wire(rights));
	}

	/**
	 * Revokes every access token of an instance: the one named, else the code's current one
	 * (live, else the latest ended one not archived yet), else its latest archive. Only its
	 * owner or an admin may; everybody else gets the answer of an unknown code.
	 * @return the instance and its new token epoch
	 */
	Revoked revoke(String code, UUID sessionId) {
		Caller caller = Caller.current();
		if (caller.userId() == null && !this.access.open()) {
			throw SessionNotFoundException.of(code, sessionId); // session tokens manage nothing
		}
		UUID instance = (sessionId != null) ? sessionId
				: this.live.current(code)
					.or(() -> this.archives.findLatest(code).map(ArchivedSession::sessionId))
					.orElseThrow(() -> SessionNotFoundException.code(code));
		long epoch = -1;
		Optional<LivePage> page = this.pages.read(code, instance, "latest", 0, 0);
		if (page.isPresent()) {
			if (!this.access.manages(caller, this.holders.live(code, page.get().meta()))) {
				throw SessionNotFoundException.of(code, sessionId);
			}
			RevokeReply reply = this.live.revoke(code, instance);
			if (reply.outcome() == RevokeReply.Outcome.REVOKED) {
				epoch = reply.tokenEpoch();
			}
		}
		Optional<ArchivedSession> archive = this.archives.find(code, instance);
		if (archive.isPresent()) {
			if (page.isEmpty()
					&& !this.access.manages(caller, this.holders.archived(instance, archive.get().owner()))) {
				throw SessionNotFoundException.of(code, sessionId);
			}
			epoch = Math.max(epoch, this.archiveUsers.revoke(code, instance).orElse(-1L));
		}
		if (epoch < 0) {
			throw SessionNotFoundException.of(code, sessionId);
		}
		return new Revoked(code, instance, epoch);
	}

	/**
	 * An instance's tokens revoked.
	 *
	 * @param code the session's code
	 * @param sessionId the instance
	 * @param tokenEpoch its token epoch now: tokens minted before it are refused
	 */
	record Revoked(String code, UUID sessionId, long tokenEpoch) {
	}

}
