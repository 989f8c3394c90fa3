package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The typed replies read the published words, as bytes or as decoded text, and refuse
 * anything else loudly.
 */
class ScriptRepliesTests {

	@Test
	void thePublishedWordsAreTheConstantsOfEachReply() {
		assertThat(CreateReply.values()).extracting(Enum::name).containsExactly("OK", "LIVE", "PENDING");
		assertThat(EndReply.values()).extracting(Enum::name).containsExactly("ENDED", "ALREADY", "UNKNOWN");
		assertThat(AppendReply.Outcome.values()).extracting(Enum::name)
			.containsExactly("CREATED", "DUPLICATE", "ENDED", "UNKNOWN", "FULL", "TOO_LARGE", "TOO_MANY_PARTICIPANTS",
					"FORBIDDEN");
		assertThat(JoinReply.values()).extracting(Enum::name).containsExactly("OK", "ENDED", "UNKNOWN", "FULL");
		assertThat(RevokeReply.Outcome.values()).extracting(Enum::name).containsExactly("REVOKED", "UNKNOWN");
		assertThat(ClaimReply.Outcome.values()).extracting(Enum::name).containsExactly("LIVE", "GONE", "BUSY", "CLAIMED");
		assertThat(SliceReply.Outcome.values()).extracting(Enum::name).containsExactly("SLICE", "LOST");
		assertThat(ReadReply.Word.values()).extracting(Enum::name).containsExactly("PAGE", "NONE", "CURRENT", "PENDING");
	}

	@Test
	void wordsAreReadAsBytesOrText() {
		assertThat(CreateReply.parse(bytes("PENDING"))).isEqualTo(CreateReply.PENDING);
		assertThat(CreateReply.parse("OK")).isEqualTo(CreateReply.OK);
		assertThat(EndReply.parse(bytes("ALREADY"))).isEqualTo(EndReply.ALREADY);
		assertThat(PurgeReply.parse(1L)).isEqualTo(PurgeReply.PURGED);
		assertThat(PurgeReply.parse(0L)).isEqualTo(PurgeReply.LIVE);
		assertThat(EraseReply.parse("ENDED".getBytes(StandardCharsets.UTF_8))).isEqualTo(EraseReply.ENDED);
		assertThat(EraseReply.parse("NONE")).isEqualTo(EraseReply.NONE);
		assertThat(JoinReply.parse(bytes("FULL"))).isEqualTo(JoinReply.FULL);
		assertThat(RevokeReply.parse(bytes("12"))).isEqualTo(new RevokeReply(RevokeReply.Outcome.REVOKED, 12));
		assertThat(RevokeReply.parse("UNKNOWN")).isEqualTo(new RevokeReply(RevokeReply.Outcome.UNKNOWN, 0));
	}

	@Test
	void anUnknownReplyFailsLoudly() {
		assertThatIllegalStateException().isThrownBy(() -> CreateReply.parse("ok")).withMessageContaining("create.lua");
		assertThatIllegalStateException().isThrownBy(() -> CreateReply.parse(null));
		assertThatIllegalStateException().isThrownBy(() -> EndReply.parse(List.of("ENDED")));
		assertThatIllegalStateException().isThrownBy(() -> PurgeReply.parse(2L));
		assertThatIllegalStateException().isThrownBy(() -> EraseReply.parse("GONE"));
		assertThatIllegalStateException().isThrownBy(() -> RevokeReply.parse(bytes("0")));
		assertThatIllegalStateException().isThrownBy(() -> RevokeReply.parse(bytes("-1")));
		assertThatIllegalStateException().isThrownBy(() -> JoinReply.parse(bytes("LIVE")));
		assertThatIllegalStateException().isThrownBy(() -> AppendReply.parse(List.of(bytes("STORED"), bytes("{}"))))
			.withMessageContaining("STORED");
		assertThatIllegalStateException().isThrownBy(() -> AppendReply.parse(List.of()));
		assertThatIllegalStateException().isThrownBy(() -> AppendReply.parse(List.of(bytes("CREATED"))));
		assertThatIllegalStateException().isThrownBy(() -> AppendReply.parse(List.of(bytes("FULL"), bytes("x"))));
		assertThatIllegalStateException().isThrownBy(() -> ClaimReply.parse(List.of(bytes("CLAIMED"), 3L)));
		assertThatIllegalStateException().isThrownBy(() -> ClaimReply.parse(List.of(bytes("LIVE"), bytes("12"))));
		assertThatIllegalStateException().isThrownBy(() -> SliceReply.parse(List.of(bytes("LOST"))));
		assertThatIllegalStateException().isThrownBy(() -> ReadReply.parse(List.of(bytes("PAGE"), 1L)));
		assertThatIllegalStateException()
			.isThrownBy(() -> ReadReply.parse(List.of(bytes("PENDING"), bytes(UUID.randomUUID().toString()))));
		assertThatIllegalStateException().isThrownBy(() -> ReadReply.parse(List.of(bytes("MAYBE"))));
	}

	@Test
	void anAppendKeepsTheStoredBytes() {
		byte[] stored = "{\"seq\":1,\"data\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
		AppendReply reply = AppendReply.parse(List.of(bytes("CREATED"), stored));
		assertThat(reply.outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		assertThat(reply.message()).isSameAs(stored);
		assertThat(AppendReply.parse(List.of(bytes("TOO_LARGE"))).message()).isNull();
	}

	@Test
	void aClaimCarriesTheMetaValuesUnjudged() {
		List<Object> reply = new ArrayList<>(List.of(bytes("CLAIMED"), 7L));
		String[] meta = new String[SessionMeta.FIELDS.size()];
		meta[0] = "not-a-uuid";
		reply.addAll(Arrays.asList((Object[]) meta));
		ClaimReply claim = ClaimReply.parse(reply);
		assertThat(claim.messageCount()).isEqualTo(7);
		assertThat(claim.meta()).hasSize(SessionMeta.FIELDS.size()).first().isEqualTo("not-a-uuid");
		assertThat(ClaimReply.parse(List.of(bytes("BUSY"), bytes("w1"))).holder()).isEqualTo("w1");
	}

	@Test
	void aCallReadsItsOwnScriptsReply() {
		RedisKeys keys = RedisKeys.withPrefix("sh");
		SessionScripts.Call<EndReply> end = SessionScripts.end(keys, "K7P2QX", UUID.randomUUID(), 1_764_000_000_000L);
		assertThat(end.parse(bytes("ENDED"))).isEqualTo(EndReply.ENDED);
		assertThatIllegalStateException().isThrownBy(() -> end.parse(bytes("OK")));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
