package dev.sessionhistory.worker.archive;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.sessionhistory.model.InvalidSessionDataException;
import dev.sessionhistory.model.RedisKeys.SessionRef;
import dev.sessionhistory.model.SessionMeta;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ArchiveRowTests {

	private final UUID sid = UUID.randomUUID();

	private final SessionRef ref = new SessionRef("CODE", this.sid);

	@Test
	void wellFormedEntriesAreJoinedByteForByte() {
		List<String> entries = List.of("{\"seq\":1,\"id\":\"a\"}", "{\"seq\":2, \"id\" : \"b\"}");
		ArchiveChunk chunk = chunk(1, entries);
		assertThat(chunk.json()).isEqualTo("[{\"seq\":1,\"id\":\"a\"},{\"seq\":2, \"id\" : \"b\"}]");
		assertThat(chunk.lastSeq()).isEqualTo(2);
		assertThat(chunk.malformed()).isZero();
		ArchiveRow row = ArchiveRow.of(this.ref, meta("ended", "{\"room\":1}"), 2).with(chunk);
		assertThat(row.messageCount()).isEqualTo(2);
		assertThat(row.complete()).isTrue();
		assertThat(row.metadata()).isEqualTo("{\"room\":1}");
	}

	@Test
	void aRowCountsItsChunksAndKnowsWhereTheNextStarts() {
		ArchiveRow row = ArchiveRow.of(this.ref, meta("ended", null), 5);
		assertThat(row.expectedCount()).isEqualTo(5);
		assertThat(row.nextSeq()).isEqualTo(1);
		row = row.with(chunk(1, List.of("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}")));
		assertThat(row.complete()).isFalse();
		assertThat(row.nextSeq()).isEqualTo(4);
		row = row.with(chunk(4, List.of("{\"seq\":4}", "nope")));
		assertThat(row.complete()).isTrue();
		assertThat(row.malformed()).isEqualTo(1);
		assertThat(row.expectedCount()).isEqualTo(5);
	}

	@Test
	void malformedEntriesAreWrappedAtTheirSeq() {
		ArchiveChunk chunk = chunk(7, List.of("{\"seq\":7}", "garbage", "{\"seq\":9,\"t\":\"\\u0000\"}"));
		assertThat(chunk.elements()).containsExactly("{\"seq\":7}",
				"{\"seq\":8,\"malformed\":true,\"raw\":\"garbage\"}",
				"{\"seq\":9,\"malformed\":true,\"raw\":\"{\\\"seq\\\":9,\\\"t\\\":\\\"\\\\u0000\\\"}\"}");
		assertThat(chunk.malformed()).isEqualTo(2);
		ArchiveRow row = ArchiveRow.of(this.ref, meta("expired", "not an object"), 0);
		assertThat(row.metadata()).isEqualTo("{\"malformed\":true,\"raw\":\"not an object\"}");
		assertThat(row.metadataWrapped()).isTrue();
	}

	@Test
	void numbersBeyondPostgresNumericAndInvalidUtf8AreWrappedBeforeAnyInsert() {
		ArchiveChunk chunk = ArchiveChunk.of(1, List.of("{\"seq\":1,\"n\":1e131071}".getBytes(StandardCharsets.UTF_8),
				"{\"seq\":2,\"n\":1e99999999999}".getBytes(StandardCharsets.UTF_8),
				new byte[] { '{', '"', 'x', '"', ':', '"', (byte) 0xC3, '"', '}' }));
		assertThat(chunk.elements()).containsExactly("{\"seq\":1,\"n\":1e131071}",
				"{\"seq\":2,\"malformed\":true,\"raw\":\"{\\\"seq\\\":2,\\\"n\\\":1e99999999999}\"}",
				"{\"seq\":3,\"malformed\":true,\"raw\":\"{\\\"x\\\":\\\"\uFFFD\\\"}\"}");
		assertThat(chunk.malformed()).isEqualTo(2);
	}

	@Test
	void wrappingRefusedValuesCountsThem() {
		ArchiveChunk chunk = chunk(1, List.of("{\"seq\":1}", "{\"seq\":2,\"n\":1e999999}"));
		ArchiveChunk wrapped = chunk.wrapping(Set.of(1));
		assertThat(wrapped.elements().get(1))
			.isEqualTo("{\"seq\":2,\"malformed\":true,\"raw\":\"{\\\"seq\\\":2,\\\"n\\\":1e999999}\"}");
		assertThat(wrapped.malformed()).isEqualTo(chunk.malformed() + 1);
		ArchiveRow row = ArchiveRow.of(this.ref, meta("ended", "{\"n\":1}"), 2).with(List.of(wrapped), true);
		assertThat(row.metadata()).isEqualTo("{\"malformed\":true,\"raw\":\"{\\\"n\\\":1}\"}");
	}

	@Test
	void metaOfAnotherInstanceOrWithAnUnknownEndReasonIsInvalid() {
		SessionRef other = new SessionRef("CODE", UUID.randomUUID());
		assertThatExceptionOfType(InvalidSessionDataException.class)
			.isThrownBy(() -> ArchiveRow.of(other, meta("ended", null), 0));
		assertThatExceptionOfType(InvalidSessionDataException.class)
			.isThrownBy(() -> ArchiveRow.of(this.ref, meta("vanished", null), 0));
	}

	/** A chunk of the entries' UTF-8 bytes, as Redis holds them. */
	private static ArchiveChunk chunk(long firstSeq, List<String> entries) {
		return ArchiveChunk.of(firstSeq, entries.stream().map((entry) -> entry.getBytes(StandardCharsets.UTF_8)).toList());
	}

	private SessionMeta meta(String endReason, String metadata) {
		Instant created = Instant.parse("2026-11-24T10:00:00Z");
		return new SessionMeta(this.sid, "CODE", created, Duration.ofMinutes(1), created.plusSeconds(60),
				SessionMeta.ENDED, created.plusSeconds(30), endReason, metadata, 0, 2, Optional.empty(), 0);
	}

}
