package dev.sessionhistory.worker.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
		ArchiveRow row = ArchiveRow.of(this.ref, meta("ended", "{\"room\":1}"), entries);
		assertThat(row.messagesJson()).isEqualTo("[{\"seq\":1,\"id\":\"a\"},{\"seq\":2, \"id\" : \"b\"}]");
		assertThat(row.messageCount()).isEqualTo(2);
		assertThat(row.malformed()).isZero();
		assertThat(row.metadata()).isEqualTo("{\"room\":1}");
	}

	@Test
	void anEmptyListIsAnEmptyArray() {
		assertThat(ArchiveRow.of(this.ref, meta("ended", null), List.of()).messagesJson()).isEqualTo("[]");
	}

	@Test
	void malformedEntriesAreWrappedAtTheirPosition() {
		ArchiveRow row = ArchiveRow.of(this.ref, meta("expired", "not an object"),
				List.of("{\"seq\":1}", "garbage", "{\"seq\":3,\"t\":\"\\u0000\"}"));
		assertThat(row.elements()).containsExactly("{\"seq\":1}", "{\"seq\":2,\"malformed\":true,\"raw\":\"garbage\"}",
				"{\"seq\":3,\"malformed\":true,\"raw\":\"{\\\"seq\\\":3,\\\"t\\\":\\\"\\\\u0000\\\"}\"}");
		assertThat(row.malformed()).isEqualTo(2);
		assertThat(row.metadata()).isEqualTo("{\"malformed\":true,\"raw\":\"not an object\"}");
	}

	@Test
	void numbersBeyondPostgresNumericAreWrappedBeforeAnyInsert() {
		ArchiveRow row = ArchiveRow.of(this.ref, meta("ended", "{\"n\":1e999999}"),
				List.of("{\"seq\":1,\"n\":1e131071}", "{\"seq\":2,\"n\":1e999999}", "{\"seq\":3,\"n\":1e99999999999}"));
		assertThat(row.elements()).containsExactly("{\"seq\":1,\"n\":1e131071}",
				"{\"seq\":2,\"malformed\":true,\"raw\":\"{\\\"seq\\\":2,\\\"n\\\":1e999999}\"}",
				"{\"seq\":3,\"malformed\":true,\"raw\":\"{\\\"seq\\\":3,\\\"n\\\":1e99999999999}\"}");
		assertThat(row.malformed()).isEqualTo(2);
		assertThat(row.metadata()).isEqualTo("{\"malformed\":true,\"raw\":\"{\\\"n\\\":1e999999}\"}");
	}

	@Test
	void wrappingRefusedValuesCountsThem() {
		ArchiveRow row = ArchiveRow.of(this.ref, meta("ended", "{\"n\":1}"),
				List.of("{\"seq\":1}", "{\"seq\":2,\"n\":2}"));
		ArchiveRow wrapped = row.wrapping(Set.of(1), true);
		assertThat(wrapped.elements().get(1))
			.isEqualTo("{\"seq\":2,\"malformed\":true,\"raw\":\"{\\\"seq\\\":2,\\\"n\\\":2}\"}");
		assertThat(wrapped.malformed()).isEqualTo(1);
		assertThat(wrapped.metadata()).isEqualTo("{\"malformed\":true,\"raw\":\"{\\\"n\\\":1}\"}");
	}

	@Test
	void metaOfAnotherInstanceOrWithAnUnknownEndReasonIsInvalid() {
		SessionRef other = new SessionRef("CODE", UUID.randomUUID());
		assertThatExceptionOfType(InvalidSessionDataException.class)
			.isThrownBy(() -> ArchiveRow.of(other, meta("ended", null), List.of()));
		assertThatExceptionOfType(InvalidSessionDataException.class)
			.isThrownBy(() -> ArchiveRow.of(this.ref, meta("vanished", null), List.of()));
	}

	private SessionMeta meta(String endReason, String metadata) {
		Instant created = Instant.parse("2026-11-24T10:00:00Z");
		return new SessionMeta(this.sid, "CODE", created, Duration.ofMinutes(1), created.plusSeconds(60),
				SessionMeta.ENDED, created.plusSeconds(30), endReason, metadata);
	}

}
