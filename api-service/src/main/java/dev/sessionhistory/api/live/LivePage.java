package dev.sessionhistory.api.live;

import java.util.List;
import java.util.UUID;

import dev.sessionhistory.model.SessionMeta;

/**
 * One consistent page of a session instance still in Redis, as the read script returns it.
 *
 * @param sessionId the instance whose keys were read
 * @param live whether the instance is the live one of its code
 * @param total how many messages the instance holds
 * @param hasMore whether more messages exist in the direction asked
 * @param meta the instance's meta hash
 * @param messages the stored message texts (UTF-8), ascending seq, untouched (a foreign
 * writer's entry that is no storable object wrapped as malformed)
 */
public record LivePage(UUID sessionId, boolean live, long total, boolean hasMore, SessionMeta meta,
		List<byte[]> messages) {

	public String status() {
		return this.live ? SessionMeta.ACTIVE : SessionMeta.ENDED;
	}

}
