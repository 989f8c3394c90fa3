package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import java.util.UUID;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.CRC16;
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
		assertThat(this.keys.events()).isEqualTo("sh:events");
	}

	@Test
	void theDueIndexIsBucketedByTheCodesClusterSlot() {
		assertThat(this.keys.dueBuckets()).isEqualTo(16);
		// CRC16 modulo 16 is the cluster slot modulo 16: 16 divides 16384
		for (String code : new String[] { "K7P2QX", "a", "Room_42-a", "x".repeat(64) }) {
			int bucket = this.keys.dueBucketOf(code);
			assertThat(bucket).isEqualTo(SlotHash.getSlot(code) % 16);
			assertThat(this.keys.due(code)).isEqualTo("sh:due:{" + bucket + "}");
		}
		assertThat(this.keys.dueBucket(0)).isEqualTo("sh:due:{0}");
		assertThat(this.keys.dueBucket(15)).isEqualTo("sh:due:{15}");
		assertThat(this.keys.legacyDue()).isEqualTo("sh:due");
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.dueBucket(16));
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.dueBucket(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.due("bad code"));
		// every bucket is used, none by much more than its share
		Map<Integer, Long> perBucket = IntStream.range(0, 16_000)
			.mapToObj((i) -> "C" + i)
			.collect(Collectors.groupingBy(this.keys::dueBucketOf, Collectors.counting()));
		assertThat(perBucket).hasSize(16);
		assertThat(perBucket.values()).allMatch((count) -> count > 800 && count < 1200);
		RedisKeys three = RedisKeys.withPrefix("sh", 3);
		assertThat(three.dueBucketOf("K7P2QX")).isEqualTo(CRC16.crc16("K7P2QX".getBytes(StandardCharsets.UTF_8)) % 3);
		assertThatIllegalArgumentException().isThrownBy(() -> RedisKeys.withPrefix("sh", 0));
		assertThatIllegalArgumentException().isThrownBy(() -> RedisKeys.withPrefix("sh", 1025));
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
