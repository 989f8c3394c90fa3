package dev.sessionhistory.model;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RedisKeysTests {

	private static final UUID SID = UUID.fromString("0b6c3f1e-2a7d-4c55-9f10-3e2d1c0b9a88");

	private final RedisKeys keys = RedisKeys.withPrefix("sh");

	@Test
	void keysOfOneSessionShareTheCodeHashTag() {
		assertThat(this.keys.live("K7P2QX")).isEqualTo("sh:{K7P2QX}:live");
		assertThat(this.keys.pending("K7P2QX")).isEqualTo("sh:{K7P2QX}:pending");
		assertThat(this.keys.meta("K7P2QX", SID)).isEqualTo("sh:{K7P2QX}:" + SID + ":meta");
		assertThat(this.keys.messages("K7P2QX", SID)).isEqualTo("sh:{K7P2QX}:" + SID + ":msgs");
		assertThat(this.keys.messageIds("K7P2QX", SID)).isEqualTo("sh:{K7P2QX}:" + SID + ":ids");
		assertThat(this.keys.claim("K7P2QX", SID)).isEqualTo("sh:{K7P2QX}:" + SID + ":claim");
		assertThat(this.keys.due()).isEqualTo("sh:due");
		assertThat(this.keys.events()).isEqualTo("sh:events");
	}

	@Test
	void rateLimitKeysAreTaggedByCallerAndMatchNoSessionPattern() {
		String key = this.keys.rateLimit("addr:203.0.113.7", "not-found");
		assertThat(key).isEqualTo("sh:rate:{addr:203.0.113.7}:not-found");
		assertThat(this.keys.codeOfLiveKey(key)).isEmpty();
		assertThat(this.keys.codeOfPendingKey(key)).isEmpty();
		assertThat(this.keys.rateLimit("addr:0:0:0:0:0:0:0:1", "read")).isEqualTo("sh:rate:{addr:0:0:0:0:0:0:0:1}:read");
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.rateLimit("user:a}b", "read"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.rateLimit("x".repeat(129), "read"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.rateLimit("user:a", "Read:1"));
	}

	@Test
	void userIndexesAreTaggedByADigestOfTheUserIdWhateverItHolds() {
		// the first 8 bytes of SHA-256("test"), as any tool computes them
		assertThat(this.keys.userSessions("test")).isEqualTo("sh:user:{9f86d081884c7d65}:sessions");
		assertThat(this.keys.userSessions("auth0|{a}/b")).matches("sh:user:\\{[0-9a-f]{16}}:sessions");
		assertThat(this.keys.userSessions("auth0|{a}/b")).isNotEqualTo(this.keys.userSessions("auth0|{a}/c"));
		assertThat(this.keys.codeOfLiveKey(this.keys.userSessions("x"))).isEmpty();
	}

	@Test
	void codeOfLiveKeyRecognisesOnlyLiveKeysOfItsOwnPrefix() {
		assertThat(this.keys.codeOfLiveKey("sh:{K7P2QX}:live")).contains("K7P2QX");
		assertThat(this.keys.codeOfLiveKey("other:{K7P2QX}:live")).isEmpty();
		assertThat(this.keys.codeOfLiveKey("sh:{K7P2QX}:presence")).isEmpty();
		assertThat(this.keys.codeOfLiveKey("sh:{K7P2QX}:" + SID + ":meta")).isEmpty();
		assertThat(this.keys.codeOfLiveKey("session:K7P2QX")).isEmpty();
		assertThat(this.keys.codeOfLiveKey("sh:{}:live")).isEmpty();
		assertThat(this.keys.codeOfLiveKey("sh:{a b}:live")).isEmpty();
		assertThat(RedisKeys.withPrefix("sh2").codeOfLiveKey("sh:{K7P2QX}:live")).isEmpty();
	}

	@Test
	void refsRoundTripAndRejectGarbage() {
		RedisKeys.SessionRef ref = new RedisKeys.SessionRef("K7P2QX", SID);
		assertThat(RedisKeys.parseRef(ref.member())).contains(ref);
		assertThat(RedisKeys.parseRef("K7P2QX")).isEmpty();
		assertThat(RedisKeys.parseRef("K7P2QX not-a-uuid")).isEmpty();
		assertThat(RedisKeys.parseRef("bad{code} " + SID)).isEmpty();
		assertThat(RedisKeys.parseRef(null)).isEmpty();
	}

	@Test
	void invalidCodesAndPrefixesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.live("a{b}"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.live(""));
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.live("x".repeat(65)));
		assertThatIllegalArgumentException().isThrownBy(() -> RedisKeys.withPrefix("a:b"));
		assertThatIllegalArgumentException().isThrownBy(() -> RedisKeys.withPrefix(""));
		assertThat(RedisKeys.isValidCode("x".repeat(64))).isTrue();
		assertThat(RedisKeys.isValidCode("ab_-9Z")).isTrue();
	}

}
