package dev.sessionhistory.model;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Mapping meta hashes of every layout, and failing loudly on what a foreign writer got wrong.
 */
class SessionMetaTests {

	private final UUID sid = UUID.randomUUID();

	@Test
	void aHashOfLayoutTwoHasNoOwnerAndEpochZero() {
		SessionMeta meta = SessionMeta.fromHash(hash());
		assertThat(meta.owner()).isEmpty();
		assertThat(meta.tokenEpoch()).isZero();
		assertThat(meta.layout()).isEqualTo(2);
	}

	@Test
	void theOwnerAndTheEpochAreMapped() {
		Map<String, String> hash = hash();
		hash.put(SessionMeta.OWNER, "auth0|abc");
		hash.put(SessionMeta.TOKEN_EPOCH, "7");
		SessionMeta meta = SessionMeta.fromHash(hash);
		assertThat(meta.owner()).contains("auth0|abc");
		assertThat(meta.tokenEpoch()).isEqualTo(7);
	}

	@Test
	void theFieldsEndWithTheOwnerAndTheEpochSoEveryHmgetReturnsThem() {
		assertThat(SessionMeta.FIELDS).endsWith(SessionMeta.OWNER, SessionMeta.TOKEN_EPOCH);
		String[] values = new String[SessionMeta.FIELDS.size()];
		Map<String, String> hash = hash();
		hash.put(SessionMeta.OWNER, "o");
		hash.put(SessionMeta.TOKEN_EPOCH, "3");
		for (int i = 0; i < values.length; i++) {
			values[i] = hash.get(SessionMeta.FIELDS.get(i));
		}
		assertThat(SessionMeta.fromValues(java.util.Arrays.asList(values))).isEqualTo(SessionMeta.fromHash(hash));
	}

	@Test
	void aBadOwnerOrEpochIsInvalidData() {
		for (String[] field : new String[][] { { SessionMeta.OWNER, "a\u0001b" }, { SessionMeta.OWNER, "x".repeat(257) },
				{ SessionMeta.TOKEN_EPOCH, "-1" }, { SessionMeta.TOKEN_EPOCH, "many" } }) {
			Map<String, String> hash = hash();
			hash.put(field[0], field[1]);
			assertThatExceptionOfType(InvalidSessionDataException.class).isThrownBy(() -> SessionMeta.fromHash(hash))
				.withMessageContaining(field[0].equals(SessionMeta.OWNER) ? "owner" : field[1]);
		}
	}

	private Map<String, String> hash() {
		Map<String, String> hash = new HashMap<>();
		hash.put(SessionMeta.SESSION_ID, this.sid.toString());
		hash.put(SessionMeta.CODE, "K7");
		hash.put(SessionMeta.CREATED_AT, "1764000000000");
		hash.put(SessionMeta.TTL_MILLIS, "60000");
		hash.put(SessionMeta.EXPIRES_AT, "1764000060000");
		hash.put(SessionMeta.STATUS, SessionMeta.ACTIVE);
		hash.put(SessionMeta.LAYOUT, "2");
		return hash;
	}

}
